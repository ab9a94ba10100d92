// Compiles what changed since the last build: `tsc -b` on the solution file (tsconfig.build.json
// at the root), which follows the project references kit -> userauth -> notes, so a change in kit
// rebuilds kit and then whichever service's declarations it changes. With nothing changed it only
// compares timestamps; fresh.mjs spares even that (loading the compiler) when nothing changed.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { looksFresh } from './fresh.mjs';

/** Where the TypeScript compiler is, or undefined before `pnpm install`. */
function tscPath(root) {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

/**
 * Starts the build; `onSlow` is called once when it takes longer than a moment (to tell the
 * person why they wait). Resolves with { child } at once and { code, signal } via `done`.
 */
export function buildChanged(root, onSlow) {
  if (looksFresh(root)) return { child: undefined, done: Promise.resolve({ code: 0, fresh: true }) };
  const tsc = tscPath(root);
  if (!tsc) return { child: undefined, done: Promise.resolve({ missing: true }) };
  const child = spawn(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const slow = setTimeout(onSlow, 1500);
  const done = new Promise((resolveDone) => {
    child.once('error', (err) => {
      clearTimeout(slow);
      resolveDone({ code: 1, error: err });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(slow);
      resolveDone({ code, signal });
    });
  });
  return { child, done };
}
