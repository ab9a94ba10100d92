import {
  ConfigError,
  databaseUrl,
  hasControlChars,
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

const MiB = 1024 * 1024;

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
  /** A session is saved again (its expiry starts over) at most this often (http/session-refresh.ts). */
  NOTES_SESSION_REFRESH_SECONDS: positiveInt(300, 1, 3600),
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
  /** Editing together (DESIGN 4.9): compact a note's update log after this long without typing... */
  NOTES_COLLAB_COMPACT_IDLE_MS: positiveInt(2000, 50, 600_000),
  /** ...and at the latest this long after its first unmerged update. */
  NOTES_COLLAB_COMPACT_MAX_MS: positiveInt(10_000, 100, 3_600_000),
  /** How often a replica checks the log for updates it missed (a relay lost between replicas). */
  NOTES_COLLAB_CATCHUP_MS: positiveInt(10_000, 100, 600_000),
  /** Updates one socket may send a second (a client sends the next once the last is stored)... */
  NOTES_COLLAB_UPDATE_LIMIT_PER_SECOND: positiveInt(30, 1, 10_000),
  /** ...and in one burst; beyond, an update is refused and sent again by its client a moment later. */
  NOTES_COLLAB_UPDATE_LIMIT_BURST: positiveInt(120, 1, 100_000),
  /** Trash (DESIGN 4.8): deleted notes are purged this many days after deletion. */
  NOTES_TRASH_DAYS: positiveInt(30, 1, 3650),
  /** How often each replica tries to run the purge (one replica at a time runs it). */
  NOTES_TRASH_PURGE_SECONDS: positiveInt(3600, 1, 86_400),
  /** Import (DESIGN 4.7): the most one POST /notes/import may send (files and zips together). */
  NOTES_IMPORT_MAX_UPLOAD_BYTES: positiveInt(20 * MiB, 1024, 1024 * MiB),
  /** The largest note file (a .md alone or inside a zip, unpacked). A 1 MB body fits in 5 MiB of any script. */
  NOTES_IMPORT_MAX_FILE_BYTES: positiveInt(5 * MiB, 1024, 100 * MiB),
  /** The most note files of one import (.md files and the .md entries of zips). */
  NOTES_IMPORT_MAX_FILES: positiveInt(1000, 1, 100_000),
  /** The most the zips of one import may unpack to in all (zip bombs stop here, before unpacking). */
  NOTES_IMPORT_MAX_UNPACKED_BYTES: positiveInt(100 * MiB, 1024, 10 * 1024 * MiB),
  /** The home page's tag cloud: this many of the most used tags the visitor may read... */
  NOTES_TAG_CLOUD_SIZE: positiveInt(30, 0, 300),
  /** ...counted again in the background once this many seconds old (0: on every visit, waiting). */
  NOTES_TAG_CLOUD_SECONDS: positiveInt(60, 0, 3600),
  /** Prometheus /metrics on this port (same HOST); unset = off. Never publish it. */
  NOTES_METRICS_PORT: optionalPort(),
  /** OpenID Connect sign-in (DESIGN 4.10): all of issuer, client id, secret and public URL, or none. */
  NOTES_OIDC_ISSUER: z
    .url({ message: 'must be a URL such as https://id.example.org/realms/team' })
    .optional(),
  NOTES_OIDC_CLIENT_ID: z.string().min(1).max(255, 'must be at most 255 characters').optional(),
  NOTES_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  NOTES_OIDC_NAME: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(40, 'must be at most 40 characters')
    .refine((v) => !hasControlChars(v), 'must not contain control characters')
    .optional(),
  /** The address people open (scheme, host, port): the OpenID Connect redirect URI is made of it. */
  NOTES_PUBLIC_URL: z.url({ message: 'must be a URL such as https://notes.example.org' }).optional(),
  LOG_LEVEL: logLevel(),
};

type RawConfig = ReturnType<typeof loadConfig<typeof configShape>>;

/** OpenID Connect sign-in, present when NOTES_OIDC_ISSUER is set (then complete and checked). */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  /** The button label: "Sign in with <name>". */
  name: string;
  /** NOTES_PUBLIC_URL + /users/login/oidc/callback, registered at the provider. */
  redirectUri: string;
  /** Plain http is allowed only for an issuer on this machine (loopback), e.g. in tests. */
  allowHttp: boolean;
}

export const OIDC_CALLBACK_PATH = '/users/login/oidc/callback';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The OpenID Connect settings as a whole: every part or none, https unless on loopback. */
function oidcSettings(raw: RawConfig): { settings?: OidcSettings; problems: string[] } {
  const problems: string[] = [];
  const issuer = raw.NOTES_OIDC_ISSUER;
  if (issuer === undefined) {
    for (const name of ['NOTES_OIDC_CLIENT_ID', 'NOTES_OIDC_CLIENT_SECRET', 'NOTES_OIDC_NAME'] as const)
      if (raw[name] !== undefined) problems.push(`NOTES_OIDC_ISSUER: is required when ${name} is set`);
    return { problems };
  }
  const url = new URL(issuer);
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    problems.push('NOTES_OIDC_ISSUER: must be an https:// URL (http:// only on 127.0.0.1 or localhost)');
  if (url.search || url.hash) problems.push('NOTES_OIDC_ISSUER: must not have a query or fragment');
  for (const name of ['NOTES_OIDC_CLIENT_ID', 'NOTES_OIDC_CLIENT_SECRET', 'NOTES_PUBLIC_URL'] as const)
    if (raw[name] === undefined) problems.push(`${name}: is required when NOTES_OIDC_ISSUER is set`);
  const publicUrl = raw.NOTES_PUBLIC_URL ? new URL(raw.NOTES_PUBLIC_URL) : undefined;
  if (publicUrl && !/^https?:$/.test(publicUrl.protocol))
    problems.push('NOTES_PUBLIC_URL: must be an http:// or https:// URL');
  if (publicUrl && (publicUrl.pathname !== '/' || publicUrl.search || publicUrl.hash))
    problems.push('NOTES_PUBLIC_URL: must be only scheme, host and port (Notes is served at /)');
  if (problems.length > 0 || !publicUrl) return { problems };
  return {
    problems,
    settings: {
      issuer: url,
      clientId: raw.NOTES_OIDC_CLIENT_ID!,
      clientSecret: raw.NOTES_OIDC_CLIENT_SECRET!,
      name: raw.NOTES_OIDC_NAME ?? url.hostname,
      redirectUri: new URL(OIDC_CALLBACK_PATH, publicUrl).href,
      allowHttp: url.protocol === 'http:',
    },
  };
}

export interface NotesConfig
  extends Omit<RawConfig, 'NOTES_MIGRATE_ON_START' | 'NOTES_TRUST_PROXY' | 'NOTES_ALLOWED_ORIGINS'> {
  /** OpenID Connect sign-in; undefined when not configured. */
  oidc: OidcSettings | undefined;
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

/** The import's limits as a whole: one file must fit in what an import may send and unpack. */
function importProblems(raw: RawConfig): string[] {
  const file = raw.NOTES_IMPORT_MAX_FILE_BYTES;
  return (['NOTES_IMPORT_MAX_UPLOAD_BYTES', 'NOTES_IMPORT_MAX_UNPACKED_BYTES'] as const)
    .filter((name) => raw[name] < file)
    .map((name) => `${name}: must be at least NOTES_IMPORT_MAX_FILE_BYTES (${file})`);
}

export function readConfig(env: Record<string, string | undefined> = process.env): NotesConfig {
  const raw = loadConfig(configShape, env);
  const oidc = oidcSettings(raw);
  const problems = [...oidc.problems, ...importProblems(raw)];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    oidc: oidc.settings,
    ...raw,
    NOTES_MIGRATE_ON_START: raw.NOTES_MIGRATE_ON_START ?? isSqliteUrl(raw.NOTES_DB_URL),
    NOTES_TRUST_PROXY: parseTrustProxy(raw.NOTES_TRUST_PROXY),
    NOTES_ALLOWED_ORIGINS: (raw.NOTES_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/+$/, ''))
      .filter(Boolean),
  };
}
