import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, REPO_ROOT, type ServiceProcess, startServiceProcess } from '@notes/testkit';

export const PACKAGE_DIR = resolve(REPO_ROOT, 'services/userauth');
export const MAIN = 'services/userauth/dist/main.js';
export const CLI = resolve(PACKAGE_DIR, 'dist/cli.js');
export const API_KEY = 'cli:cli-test-key-abcdefghijklmnop';

function newestMtime(dir: string, skip: (name: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(entry.name)) newest = Math.max(newest, newestMtime(path, skip));
    } else if (!skip(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Process tests run the built code: fail clearly when dist/ is missing or older than src/. */
export function assertBuilt(): void {
  const hint = 'run `pnpm --filter @notes/userauth build` first (pnpm test does it)';
  try {
    statSync(join(PACKAGE_DIR, 'dist/main.js'));
    statSync(CLI);
  } catch {
    throw new Error(`services/userauth/dist is missing: ${hint}`);
  }
  // The newest output, not main.js: an incremental `tsc -b` rewrites only what changed, so after
  // a pull main.js may rightly be older than a source file whose own output is fresh.
  const built = newestMtime(join(PACKAGE_DIR, 'dist'), () => false);
  const source = newestMtime(join(PACKAGE_DIR, 'src'), (n) => n.endsWith('.test.ts') || n === 'testing');
  if (source > built + 1000) throw new Error(`services/userauth/dist is older than src: ${hint}`);
}

export interface RunningService extends ServiceProcess {
  dir: string;
}

/** The built service as a real process on a free port with a fresh SQLite file. */
export async function startUserauth(env: Record<string, string> = {}): Promise<RunningService> {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'userauth-proc-'));
  const port = await freePort();
  const proc = await startServiceProcess({
    script: MAIN,
    port,
    env: {
      USERAUTH_DB_URL: `sqlite:${join(dir, 'userauth.sqlite')}`,
      USERAUTH_API_KEYS: API_KEY,
      USERAUTH_BCRYPT_COST: '4',
      USERAUTH_MFA_KEY: 'cli-test-mfa-key-0123456789abcdef0123',
      ...env,
    },
  });
  return {
    ...proc,
    dir,
    stop: async (timeoutMs?: number) => {
      const code = await proc.stop(timeoutMs);
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built script with only the given environment (plus PATH), stdin not a terminal. */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Run> {
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [script, ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code as number | null) : 0;
        done({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}
