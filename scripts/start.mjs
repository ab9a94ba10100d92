#!/usr/bin/env node
// Embedded mode runner (`pnpm start`, after `pnpm build`): both services as local processes with
// SQLite files and generated secrets under ./data. Nothing else to install.
//
// - creates ./data and, on first run, data/userauth-api-keys (`notes:<key>`) and data/session-secret
//   (mode 0600, random);
// - starts services/userauth/dist/main.js (PORT 5858, or USERAUTH_PORT) and waits for its /readyz;
// - then, when it is built, services/notes/dist/main.js (PORT, default 3000);
// - prints the URL, and the command to add a first user when there is none;
// - forwards Ctrl-C/SIGTERM to both and exits when both stopped; if one dies, stops the other and
//   exits non-zero.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const DATA = 'data';
const KEYS_FILE = join(DATA, 'userauth-api-keys');
const NOTES_KEY_FILE = join(DATA, 'notes-api-key');
const SESSION_FILE = join(DATA, 'session-secret');
const USERAUTH_MAIN = 'services/userauth/dist/main.js';
const NOTES_MAIN = 'services/notes/dist/main.js';
const HOST = '127.0.0.1';
const USERAUTH_PORT = process.env.USERAUTH_PORT || '5858';
const NOTES_PORT = process.env.PORT || '3000';
const USERAUTH_URL = `http://${HOST}:${USERAUTH_PORT}`;

const say = (line) => process.stdout.write(`[start] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`[start] ${line}\n`);
  process.exit(1);
};

/** Writes a fresh secret file (0600) unless it exists; never overwrites. */
function ensureSecret(file, make) {
  if (existsSync(file)) return;
  writeFileSync(file, `${make()}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  say(`generated ${file}`);
}

const entries = (text) =>
  text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e.includes(':'));

if (!existsSync(USERAUTH_MAIN)) fail(`${USERAUTH_MAIN} is missing: run pnpm build first (pnpm start does)`);
mkdirSync(DATA, { recursive: true, mode: 0o700 });
ensureSecret(KEYS_FILE, () => `notes:${randomBytes(32).toString('base64url')}`);
ensureSecret(SESSION_FILE, () => randomBytes(48).toString('base64url'));

// Notes reads exactly one name:key; if the keys file holds several, hand it the first one alone.
const keys = entries(readFileSync(KEYS_FILE, 'utf8'));
if (keys.length === 0) fail(`${KEYS_FILE} holds no name:key; delete it to have a new one generated`);
let notesKeyFile = KEYS_FILE;
if (keys.length > 1) {
  writeFileSync(NOTES_KEY_FILE, `${keys[0]}\n`, { mode: 0o600 });
  chmodSync(NOTES_KEY_FILE, 0o600);
  notesKeyFile = NOTES_KEY_FILE;
}

/** The environment of a child: ours minus the variables we set by file. */
function childEnv(extra, drop) {
  const env = { ...process.env, HOST: process.env.HOST || HOST, ...extra };
  for (const name of drop) delete env[name];
  return env;
}

const children = new Map();
let stopping = false;
let failed = false;

function stopAll(signal = 'SIGTERM') {
  stopping = true;
  for (const child of children.values())
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

function start(name, script, env) {
  const child = spawn(process.execPath, [script], { env, stdio: 'inherit' });
  children.set(name, child);
  child.once('exit', (code, signal) => {
    children.delete(name);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!stopping) {
      failed = true;
      process.stderr.write(`[start] ${name} stopped unexpectedly (${how}); stopping the rest\n`);
      stopAll();
    } else if (code !== 0 && code !== null) {
      failed = true;
      process.stderr.write(`[start] ${name} exited with ${how}\n`);
    }
    if (children.size === 0) process.exit(failed ? 1 : 0);
  });
  return child;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!stopping) say('stopping…');
    stopAll('SIGTERM');
  });
}

/** Polls url until it answers 200; false when the child died or time ran out. */
async function waitReady(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const userauth = start(
  'userauth',
  USERAUTH_MAIN,
  childEnv(
    {
      PORT: USERAUTH_PORT,
      USERAUTH_API_KEYS_FILE: KEYS_FILE,
      USERAUTH_DB_URL: process.env.USERAUTH_DB_URL || 'sqlite:./data/userauth.sqlite',
    },
    ['USERAUTH_API_KEYS'],
  ),
);
if (!(await waitReady(`${USERAUTH_URL}/readyz`, userauth))) {
  process.stderr.write('[start] userauth did not become ready\n');
  failed = true;
  stopAll();
} else {
  say(`userauth ready at ${USERAUTH_URL}`);
  let url;
  if (existsSync(NOTES_MAIN)) {
    const notes = start(
      'notes',
      NOTES_MAIN,
      childEnv(
        {
          PORT: NOTES_PORT,
          USERAUTH_URL,
          USERAUTH_API_KEY_FILE: notesKeyFile,
          NOTES_SESSION_SECRET_FILE: SESSION_FILE,
          NOTES_DB_URL: process.env.NOTES_DB_URL || 'sqlite:./data/notes.sqlite',
        },
        ['USERAUTH_API_KEY', 'NOTES_SESSION_SECRET'],
      ),
    );
    url = `http://${HOST}:${NOTES_PORT}`;
    if (!(await waitReady(`${url}/readyz`, notes, 60_000)) && !stopping)
      process.stderr.write('[start] notes is not ready yet (see its log above)\n');
  } else {
    say(`${NOTES_MAIN} is not built; only userauth runs`);
  }
  if (!stopping) {
    try {
      const res = await fetch(`${USERAUTH_URL}/list`, {
        headers: { authorization: `Basic ${Buffer.from(keys[0]).toString('base64')}` },
      });
      const users = res.ok ? await res.json() : undefined;
      if (Array.isArray(users) && users.length === 0) {
        say('no users yet; add one (omit --password to be prompted for it):');
        say('  pnpm userauth add <username> --password <password>');
      }
    } catch {
      // the list is a convenience; the services report their own problems
    }
    if (url) say(`Notes is running at ${url}  (Ctrl-C stops everything)`);
    else say(`userauth is running at ${USERAUTH_URL}  (Ctrl-C stops it)`);
  }
}
