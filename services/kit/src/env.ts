import { readFileSync } from 'node:fs';

export type Env = Record<string, string | undefined>;

/**
 * Reads NAME from the environment, or the contents of the file named by NAME_FILE
 * (Docker/Swarm secrets). Giving both is an error, so a stale variable never silently wins.
 * A trailing newline in the file is dropped.
 */
export function readEnvOrFile(env: Env, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== '') {
    if (direct !== undefined && direct !== '') {
      throw new Error(`${name}: set either ${name} or ${name}_FILE, not both`);
    }
    try {
      return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(`${name}_FILE: cannot read ${file} (${code})`);
    }
  }
  return direct === '' ? undefined : direct;
}
