import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readEnvOrFile } from '@notes/kit/env';
import { CliError } from './failure.js';

export const DEFAULT_URL = 'http://127.0.0.1:5858';
/** Written by `pnpm start` (embedded mode); used when no key is given otherwise. */
export const EMBEDDED_KEY_FILE = 'data/userauth-api-keys';

export interface Connection {
  url: string;
  apiKey: string;
}

/** First `name:key` of a keys file or variable (entries separated by commas or newlines). */
export function firstKey(text: string): string | undefined {
  return text
    .split(/[,\n]/)
    .map((e) => e.trim())
    .find((e) => e.includes(':'));
}

/**
 * URL: --url, USERAUTH_URL, default. Key: --api-key, USERAUTH_API_KEY (or USERAUTH_API_KEY_FILE),
 * else the embedded mode's generated key file in the current folder.
 */
export function resolveConnection(
  flags: { url?: string | undefined; apiKey?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): Connection {
  const url = flags.url ?? (env.USERAUTH_URL || DEFAULT_URL);
  let apiKey = flags.apiKey;
  if (apiKey === undefined) {
    try {
      apiKey = readEnvOrFile(env, 'USERAUTH_API_KEY');
    } catch (err) {
      throw new CliError('usage', (err as Error).message);
    }
  }
  if (apiKey === undefined) {
    const file = resolve(EMBEDDED_KEY_FILE);
    if (existsSync(file)) apiKey = firstKey(readFileSync(file, 'utf8'));
  }
  if (!apiKey)
    throw new CliError(
      'usage',
      `no API key: pass --api-key name:key, set USERAUTH_API_KEY or USERAUTH_API_KEY_FILE, or run from the folder where pnpm start wrote ${EMBEDDED_KEY_FILE}`,
    );
  if (!apiKey.includes(':')) throw new CliError('usage', 'the API key must have the form name:key');
  try {
    new URL(url);
  } catch {
    throw new CliError('usage', `not a URL: ${url}`);
  }
  return { url, apiKey };
}
