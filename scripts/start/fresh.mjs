// A quick look (milliseconds) at whether `tsc -b` would have anything to do, so that a start with
// nothing changed does not even load the compiler. Conservative: anything it does not recognise
// counts as changed, and then `tsc -b` decides (build.mjs). Fresh means, for every project that
// the root tsconfig.build.json references:
// - its build info exists, was written by the installed TypeScript, and records a clean build (no
//   keys beyond those of an error-free, fully emitted build: errors and pending work add keys);
// - no file or folder under its src/, nor its tsconfig.build.json or package.json, nor the shared
//   tsconfig.base.json or the root tsconfig.build.json, is newer than that build info;
// - no project it references was built after it; its dist/main.js, when it has a src/main.ts, exists.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const CLEAN_KEYS = new Set([
  'fileNames',
  'fileIdsList',
  'fileInfos',
  'root',
  'options',
  'referencedMap',
  'latestChangedDtsFile',
  'version',
]);

const mtime = (path) => statSync(path).mtimeMs;

/** The newest modification time of a folder, its files and subfolders. */
function newestUnder(dir) {
  let newest = mtime(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : mtime(path));
  }
  return newest;
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** The referenced tsconfig files of a tsconfig, as absolute paths. */
const referencesOf = (config, path) =>
  (config.references ?? []).map((ref) => {
    const target = resolve(dirname(path), ref.path);
    return target.endsWith('.json') ? target : join(target, 'tsconfig.json');
  });

/** true when nothing needs building; false when unsure or stale. */
export function looksFresh(root) {
  try {
    const solution = join(root, 'tsconfig.build.json');
    const shared = Math.max(mtime(solution), mtime(join(root, 'tsconfig.base.json')));
    const tsVersion = createRequire(join(root, 'package.json'))('typescript/package.json').version;
    const builtAt = new Map();
    const check = (configPath) => {
      if (builtAt.has(configPath)) return builtAt.get(configPath) !== undefined;
      builtAt.set(configPath, undefined);
      const config = readJson(configPath);
      const dir = dirname(configPath);
      const options = config.compilerOptions ?? {};
      if (!options.composite || !options.tsBuildInfoFile) return false;
      const infoPath = resolve(dir, options.tsBuildInfoFile);
      if (!existsSync(infoPath)) return false;
      const info = readJson(infoPath);
      if (info.version !== tsVersion || Object.keys(info).some((key) => !CLEAN_KEYS.has(key))) return false;
      const built = mtime(infoPath);
      const inputs = Math.max(
        shared,
        mtime(configPath),
        mtime(join(dir, 'package.json')),
        newestUnder(join(dir, 'src')),
      );
      if (inputs > built) return false;
      if (existsSync(join(dir, 'src/main.ts')) && !existsSync(join(dir, 'dist/main.js'))) return false;
      for (const upstream of referencesOf(config, configPath)) {
        if (!check(upstream) || builtAt.get(upstream) > built) return false;
      }
      builtAt.set(configPath, built);
      return true;
    };
    return referencesOf(readJson(solution), solution).every(check);
  } catch {
    return false;
  }
}
