/**
 * Helpers of the operations tests in compose-local.test.ts (fresh clone, metrics, TLS edge):
 * kept apart from engine.ts, which is shared with other test folders.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { REPO_ROOT as ROOT } from '@notes/testkit';

/**
 * What a fresh `git clone` holds: the tracked files (and new, not ignored ones, so uncommitted
 * work is tested too), nothing git ignores: no secrets, no .env, no node_modules.
 */
export function copyAsClone(target: string): void {
  mkdirSync(target, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('bash', ['-c', `tar -c --null -T - | tar -x -C "$1"`, 'copy', target], {
    cwd: ROOT,
    input: files,
  });
}

/** Parses Prometheus text into `name{labels} value` samples (comments dropped). */
export function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Sum of the samples of `name` whose labels include `match`. */
export function total(text: string, name: string, match: Record<string, string> = {}): number {
  return samples(text)
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0);
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One GET over http or https (trusting `ca`), no redirects followed. */
export function get(url: string, ca?: string): Promise<Answer> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { ...(ca ? { ca } : {}), timeout: 15_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}
