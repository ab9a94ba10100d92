import { z } from 'zod';
import { type Env, readEnvOrFile } from './env.js';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Validates the environment once, at start. Every variable of the schema may also come from
 * NAME_FILE. All problems are collected and reported together, one line per variable.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: Env = process.env,
): z.infer<z.ZodObject<S>> {
  const raw: Record<string, string | undefined> = {};
  const problems: string[] = [];
  const unreadable = new Set<string>();
  for (const name of Object.keys(shape)) {
    try {
      raw[name] = readEnvOrFile(env, name);
    } catch (err) {
      unreadable.add(name);
      problems.push((err as Error).message);
    }
  }
  const result = z.object(shape).safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (unreadable.has(String(issue.path[0]))) continue;
      const name = issue.path.join('.') || '(config)';
      const given = raw[String(issue.path[0])];
      problems.push(
        given === undefined && issue.code === 'invalid_type'
          ? `${name}: is required`
          : `${name}: ${issue.message}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return (result as { data: z.infer<z.ZodObject<S>> }).data;
}

/**
 * Reads a service's configuration, or prints a ConfigError one line per problem
 * (`<service>: config: …`) and exits 2; anything else is rethrown.
 */
export function configOrExit<T>(service: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) process.stderr.write(`${service}: config: ${problem}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Reusable field schemas. */
export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be 0-65535')
    .max(65535, 'must be 0-65535')
    .default(fallback);

/** A port that may be left unset (the feature is then off). */
export const optionalPort = () =>
  z
    .string()
    .regex(/^\d{1,5}$/, 'must be a port number')
    .transform(Number)
    .refine((n) => n <= 65535, 'must be 0-65535')
    .optional();
export const host = (fallback: string) => z.string().min(1).default(fallback);

export const databaseUrl = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^(sqlite:|mysql:\/\/|mariadb:\/\/)/.test(v), {
      message: 'must start with sqlite: or mysql://',
    });

export const positiveInt = (fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** An optional yes/no setting: true, false, or undefined when unset (the caller picks the default). */
export const optionalFlag = () =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'], { message: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true' || v === 'yes'));

export const logLevel = () =>
  z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');
