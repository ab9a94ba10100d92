// The embedded mode's data folder: SQLite files and generated secrets (mode 0600, never overwritten).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export const DEFAULT_DATA_DIR = 'data';

/** NOTES_DATA_DIR (relative to the repository root), else ./data; shown relative when inside root. */
export function dataDir(env, root) {
  const absolute = resolve(root, env.NOTES_DATA_DIR || DEFAULT_DATA_DIR);
  const rel = relative(root, absolute);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absolute : `./${rel}`;
  return { absolute, shown, isDefault: absolute === resolve(root, DEFAULT_DATA_DIR) };
}

/** Entries `name:key` of a keys file (separated by commas or newlines). */
export const keyEntries = (text) =>
  text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e.includes(':'));

function ensureSecret(file, make, say) {
  if (existsSync(file)) return;
  writeFileSync(file, `${make()}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  say(`generated ${file}`);
}

/**
 * Creates the folder and, on first run, its API keys file (`notes:<key>`), session secret and
 * second-factor key.
 * Returns the files the services read; throws an Error with one line when the keys file is unusable.
 */
export function prepareDataDir(dir, say) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keysFile = join(dir, 'userauth-api-keys');
  const sessionFile = join(dir, 'session-secret');
  ensureSecret(keysFile, () => `notes:${randomBytes(32).toString('base64url')}`, say);
  ensureSecret(sessionFile, () => randomBytes(48).toString('base64url'), say);
  // Seals the TOTP secrets of svc-userauth: losing it means every second factor must be reset.
  const mfaKeyFile = join(dir, 'userauth-mfa-key');
  ensureSecret(mfaKeyFile, () => randomBytes(48).toString('base64url'), say);
  const keys = keyEntries(readFileSync(keysFile, 'utf8'));
  if (keys.length === 0)
    throw new Error(`${keysFile} holds no name:key; delete it to have a new one generated`);
  // svc-notes reads exactly one name:key; when the file holds several, it gets the first one alone.
  let notesKeyFile = keysFile;
  if (keys.length > 1) {
    notesKeyFile = join(dir, 'notes-api-key');
    writeFileSync(notesKeyFile, `${keys[0]}\n`, { mode: 0o600 });
    chmodSync(notesKeyFile, 0o600);
  }
  return { keysFile, sessionFile, mfaKeyFile, notesKeyFile, apiKey: keys[0] };
}
