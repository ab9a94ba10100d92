import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STACK_FILE = join(ROOT, 'compose-swarm', 'docker-stack.yml');
export const NGINX_TEMPLATE = join(ROOT, 'compose-swarm', 'nginx', 'notes.conf.template');
export const STACK_ENV_EXAMPLE = join(ROOT, 'compose-swarm', 'stack.env.example');

/** Variables a deploy always sets (scripts/swarm-deploy.sh refuses to run without them). */
export const DEPLOY_ENV: Record<string, string> = {
  REGISTRY: 'registry.example.com:5000/notes',
  TAG: 'abc123',
};

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped by nature
export type Doc = Record<string, any>;

export function readStackText(): string {
  return readFileSync(STACK_FILE, 'utf8');
}

/**
 * The stack file as YAML, variables left as written, aliases resolved. Read as YAML 1.1, like the
 * Docker CLI does (so `mode: 0400` is octal, as swarm sees it).
 */
export function parseRaw(text = readStackText()): Doc {
  return parse(text, { version: '1.1', maxAliasCount: 1000 }) as Doc;
}

/**
 * Interpolates one string as the Docker CLI's stack loader does: $$ is a literal $, $NAME and
 * ${NAME} take the variable (empty when unset), ${NAME:-default} / ${NAME-default} fall back,
 * ${NAME:?message} / ${NAME?message} fail. A lone $ before anything else is an error there too.
 */
export function interpolateString(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([^}]*)\}|)/g,
    (match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
      if (escaped) return '$';
      if (named) return env[named] ?? '';
      if (braced === undefined) throw new Error(`invalid interpolation at "${match}" in: ${value}`);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-|:?\?)(.*))?$/s.exec(braced);
      if (!m) throw new Error(`invalid interpolation "\${${braced}}" in: ${value}`);
      const [, name, op, arg] = m;
      const v = env[name!];
      if (op === ':-') return v === undefined || v === '' ? arg! : v;
      if (op === '-') return v === undefined ? arg! : v;
      if (op === ':?' && (v === undefined || v === '')) throw new Error(`${name}: ${arg}`);
      if (op === '?' && v === undefined) throw new Error(`${name}: ${arg}`);
      return v ?? '';
    },
  );
}

/** Deep copy with every string interpolated; the few integer fields are converted as Docker does. */
export function interpolate(
  doc: unknown,
  env: Record<string, string | undefined>,
  path: string[] = [],
): unknown {
  if (typeof doc === 'string') {
    const s = interpolateString(doc, env);
    const last = path[path.length - 1];
    if (['replicas', 'parallelism', 'retries', 'max_attempts', 'published', 'target'].includes(last ?? '')) {
      if (/^\d+$/.test(s)) return Number(s);
    }
    return s;
  }
  if (Array.isArray(doc)) return doc.map((d, i) => interpolate(d, env, [...path, String(i)]));
  if (doc && typeof doc === 'object') {
    return Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, interpolate(v, env, [...path, k])]));
  }
  return doc;
}

/** The stack file as `docker stack deploy` sees it with the given variables. */
export function loadStack(env: Record<string, string | undefined> = DEPLOY_ENV): Doc {
  return interpolate(parseRaw(), env) as Doc;
}

/** Names of every variable the stack file uses (${NAME...} or $NAME, not $$). */
export function variablesUsed(text = readStackText()): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    const name = m[1] ?? m[2];
    if (name) names.add(name);
  }
  return names;
}

/** KEY=value lines of an env file (comments and blank lines skipped). */
export function readEnvFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export function deepClone<T>(v: T): T {
  return structuredClone(v);
}
