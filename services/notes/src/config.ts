import {
  databaseUrl,
  host,
  isSqliteUrl,
  loadConfig,
  logLevel,
  optionalFlag,
  optionalPort,
  port,
  positiveInt,
} from '@notes/kit';
import { z } from 'zod';
import { VISIBILITIES } from './notes/note-policy.js';

/**
 * Every setting of svc-notes, validated once at start (DESIGN 4.5). Secrets may come from NAME_FILE.
 *
 * NOTES_SESSION_SECRET is required in every mode: the embedded runner (`pnpm start`) generates one
 * into ./data and passes it as NOTES_SESSION_SECRET_FILE, so there is never a built-in fallback secret.
 */
export const configShape = {
  PORT: port(3000),
  HOST: host('127.0.0.1'),
  NOTES_DB_URL: databaseUrl('sqlite:./data/notes.sqlite'),
  NOTES_DB_PASSWORD: z.string().optional(),
  NOTES_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  NOTES_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1-40 letters, digits, ".", "_" or "-"')
    .default('notes'),
  NOTES_SESSION_SECRET: z.string().min(32, 'must be at least 32 characters'),
  NOTES_SESSION_MAX_AGE_HOURS: positiveInt(24 * 7, 1, 24 * 365),
  USERAUTH_URL: z
    .url({ message: 'must be a URL such as http://127.0.0.1:5858' })
    .default('http://127.0.0.1:5858'),
  USERAUTH_API_KEY: z.string().regex(/^[^:\s]+:\S+$/, 'must be name:key'),
  NOTES_TRUST_PROXY: z.string().optional(),
  NOTES_MIGRATE_ON_START: optionalFlag(),
  NOTES_ALLOWED_ORIGINS: z.string().optional(),
  NOTES_PAGE_SIZE: positiveInt(20, 1, 200),
  NOTES_DEFAULT_VISIBILITY: z
    .enum(VISIBILITIES, { message: `must be one of ${VISIBILITIES.join(', ')}` })
    .default('team'),
  NOTES_USER_CACHE_SECONDS: positiveInt(60, 1, 3600),
  NOTES_LOGIN_LIMIT_PER_CLIENT: positiveInt(50, 1, 100_000),
  NOTES_LOGIN_LIMIT_PER_USER: positiveInt(10, 1, 100_000),
  NOTES_LOGIN_LIMIT_WINDOW_SECONDS: positiveInt(900, 1, 86_400),
  NOTES_LOGIN_DELAY_BASE_MS: positiveInt(250, 1, 60_000),
  NOTES_LOGIN_DELAY_MAX_MS: positiveInt(10_000, 1, 60_000),
  NOTES_WRITE_LIMIT_PER_SECOND: positiveInt(5, 1, 10_000),
  NOTES_WRITE_LIMIT_BURST: positiveInt(20, 1, 100_000),
  /** History (DESIGN 4.8): saves by one author within this many seconds fold into one revision; 0 = never. */
  NOTES_REVISION_MERGE_SECONDS: positiveInt(300, 0, 86_400),
  /** At most this many revisions per note; the oldest after the first are dropped. */
  NOTES_REVISION_KEEP: positiveInt(1000, 2, 100_000),
  /** Prometheus /metrics on this port (same HOST); unset = off. Never publish it. */
  NOTES_METRICS_PORT: optionalPort(),
  LOG_LEVEL: logLevel(),
};

type RawConfig = ReturnType<typeof loadConfig<typeof configShape>>;

export interface NotesConfig
  extends Omit<RawConfig, 'NOTES_MIGRATE_ON_START' | 'NOTES_TRUST_PROXY' | 'NOTES_ALLOWED_ORIGINS'> {
  /** Runs pending migrations at start; default true for SQLite, false for MySQL. */
  NOTES_MIGRATE_ON_START: boolean;
  /** Express `trust proxy` value; false when unset. */
  NOTES_TRUST_PROXY: boolean | number | string;
  /** Origins allowed to open sockets besides the page's own origin. */
  NOTES_ALLOWED_ORIGINS: string[];
}

export function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function readConfig(env: Record<string, string | undefined> = process.env): NotesConfig {
  const raw = loadConfig(configShape, env);
  return {
    ...raw,
    NOTES_MIGRATE_ON_START: raw.NOTES_MIGRATE_ON_START ?? isSqliteUrl(raw.NOTES_DB_URL),
    NOTES_TRUST_PROXY: parseTrustProxy(raw.NOTES_TRUST_PROXY),
    NOTES_ALLOWED_ORIGINS: (raw.NOTES_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  };
}
