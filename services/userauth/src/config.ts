import {
  databaseUrl,
  type Env,
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

export interface ApiKey {
  name: string;
  key: string;
}

const KEY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_KEY_LENGTH = 16;

/**
 * Parses `name:key[,name:key…]` (newlines work as separators too, for secret files).
 * Returns problems instead of throwing so that config validation reports them all.
 */
export function parseApiKeys(value: string): { keys: ApiKey[]; problems: string[] } {
  const keys: ApiKey[] = [];
  const problems: string[] = [];
  const entries = value
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) problems.push('must hold at least one name:key');
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? entry : entry.slice(0, colon);
    const key = colon < 0 ? '' : entry.slice(colon + 1);
    if (colon < 0 || !KEY_NAME.test(name)) {
      problems.push(`entry ${i + 1} must be name:key with a name of letters, digits, '.', '_' or '-'`);
    } else if (key.length < MIN_KEY_LENGTH || /\s/.test(key)) {
      problems.push(`the key of "${name}" must be at least ${MIN_KEY_LENGTH} characters without spaces`);
    } else if (keys.some((k) => k.name === name)) {
      problems.push(`the name "${name}" appears twice`);
    } else {
      keys.push({ name, key });
    }
  });
  return { keys, problems };
}

const apiKeys = () =>
  z.string().transform((value, ctx) => {
    const { keys, problems } = parseApiKeys(value);
    if (problems.length > 0) ctx.addIssue({ code: 'custom', message: problems.join('; ') });
    return keys;
  });

/** What both the service and the migrate command need. */
export const databaseShape = {
  USERAUTH_DB_URL: databaseUrl('sqlite:./data/userauth.sqlite'),
  /** Replaces the password of a mysql:// URL (USERAUTH_DB_PASSWORD_FILE in compose). */
  USERAUTH_DB_PASSWORD: z.string().optional(),
  LOG_LEVEL: logLevel(),
  /** How long to wait at start for the database to answer (compose starts it in parallel). */
  USERAUTH_DB_WAIT_SECONDS: positiveInt(30, 0, 600),
};

export const serviceShape = {
  ...databaseShape,
  PORT: port(5858),
  HOST: host('127.0.0.1'),
  USERAUTH_API_KEYS: apiKeys(),
  USERAUTH_BCRYPT_COST: positiveInt(10, 4, 15),
  /** Default: true for sqlite: URLs (embedded mode), false for mysql:// (run the migrate command). */
  USERAUTH_MIGRATE_ON_START: optionalFlag(),
  /** Prometheus /metrics on this port (same HOST); unset = off. Never publish it. */
  USERAUTH_METRICS_PORT: optionalPort(),
  /** Seals the TOTP secrets (AES-256-GCM, key derived by HKDF); unset = no second factors. */
  USERAUTH_MFA_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
};

export interface DatabaseConfig {
  dbUrl: string;
  dbPassword: string | undefined;
  logLevel: string;
  dbWaitSeconds: number;
}

export interface ServiceConfig extends DatabaseConfig {
  port: number;
  host: string;
  apiKeys: ApiKey[];
  bcryptCost: number;
  migrateOnStart: boolean;
  metricsPort: number | undefined;
  mfaKey: string | undefined;
}

function databaseConfig(c: ReturnType<typeof loadConfig<typeof databaseShape>>): DatabaseConfig {
  return {
    dbUrl: c.USERAUTH_DB_URL,
    dbPassword: c.USERAUTH_DB_PASSWORD,
    logLevel: c.LOG_LEVEL,
    dbWaitSeconds: c.USERAUTH_DB_WAIT_SECONDS,
  };
}

export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  return databaseConfig(loadConfig(databaseShape, env));
}

/** Validates the whole environment once; throws a ConfigError listing every problem. */
export function loadServiceConfig(env: Env = process.env): ServiceConfig {
  const c = loadConfig(serviceShape, env);
  return {
    ...databaseConfig(c),
    port: c.PORT,
    host: c.HOST,
    apiKeys: c.USERAUTH_API_KEYS,
    bcryptCost: c.USERAUTH_BCRYPT_COST,
    migrateOnStart: c.USERAUTH_MIGRATE_ON_START ?? isSqliteUrl(c.USERAUTH_DB_URL),
    metricsPort: c.USERAUTH_METRICS_PORT,
    mfaKey: c.USERAUTH_MFA_KEY,
  };
}
