// Bundles the note page's editing-together code (web/) into public/js/collab/ with esbuild: one
// small entry for every reader (presence) and, loaded only for editors, the editor chunk
// (CodeMirror). Files under 'self', so the CSP keeps script-src 'self'. Prints the sizes.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'public', 'js', 'collab');
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { 'note-collab': join(root, 'web', 'note-collab.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['es2020'],
  chunkNames: 'chunk-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const lines = Object.keys(result.metafile.outputs).map((file) => {
  const path = join(process.cwd(), file);
  const bytes = statSync(path).size;
  const gzip = gzipSync(readFileSync(path)).length;
  return `${relative(root, path)}: ${(bytes / 1024).toFixed(1)} kB (${(gzip / 1024).toFixed(1)} kB gzip)`;
});
if (!process.env.BUNDLE_QUIET) console.log(`web bundle:\n  ${lines.join('\n  ')}`);
