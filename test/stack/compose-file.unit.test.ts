/**
 * compose-local/docker-compose.yml must run under Compose v2 (what users have) and
 * docker-compose 1.29 (the engine stand-in here), so beside the stack tests, which run it under
 * v1, it is checked statically against the Compose Specification schema (the one vendored for
 * the swarm tests) and against what either version refuses. Each check is shown failing on a
 * broken copy.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '@notes/testkit';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped by nature
type Doc = Record<string, any>;

/** The 2021 schema's "id" labels are dropped for Ajv, as in test/swarm/stack-validate.test.ts. */
function withoutIdLabels(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdLabels);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string') && k !== '$schema')
      .map(([k, v]) => [k, withoutIdLabels(v)]),
  );
}
const validate = new Ajv({ strict: false, allErrors: true }).compile(
  withoutIdLabels(
    JSON.parse(readFileSync(join(ROOT, 'test/swarm/schema/compose-spec.json'), 'utf8')),
  ) as object,
);
const load = (): Doc =>
  parse(readFileSync(join(ROOT, 'compose-local/docker-compose.yml'), 'utf8'), { merge: true }) as Doc;

/** What Compose v2 or v1.29 would refuse, or what would stop a fresh clone's `up`. */
function problems(doc: Doc): string[] {
  const out = validate(doc)
    ? []
    : (validate.errors ?? []).map((e) => `schema: ${e.instancePath} ${e.message}`);
  if ('name' in doc) out.push('top-level name: is not known to Compose v1');
  if (doc.secrets) out.push('top-level secrets: file secrets make Compose v2 refuse a fresh clone');
  for (const [name, svc] of Object.entries<Doc>(doc.services)) {
    if (svc.secrets) out.push(`${name}: compose secrets (see above)`);
    for (const [dep, cond] of Object.entries<Doc>(svc.depends_on ?? {}))
      if (cond && 'required' in cond) out.push(`${name}: depends_on.${dep}.required is Compose v2 only`);
    const env = svc.environment ?? {};
    const readsFiles = Object.entries(env).some(
      ([k, v]) => k.endsWith('_FILE') && String(v).startsWith('/run/secrets/'),
    );
    const mountsSecrets = (svc.volumes ?? []).some((v: string) => /:\/run\/secrets:ro$/.test(v));
    if (readsFiles && !mountsSecrets)
      out.push(`${name}: reads /run/secrets/* but mounts no secrets volume read-only`);
    if (readsFiles && !(svc.depends_on && Object.keys(svc.depends_on).length))
      out.push(`${name}: must wait for secrets-init (directly or through a store)`);
  }
  return out;
}

describe('compose-local/docker-compose.yml for Compose v2 and v1.29', () => {
  it('passes the Compose Specification schema and the v1/v2 rules', () => {
    expect(problems(load())).toEqual([]);
  });

  it('the stores wait for secrets-init, which runs once with no network', () => {
    const doc = load();
    for (const store of ['db-userauth', 'db-notes', 'redis'])
      expect(doc.services[store].depends_on['secrets-init']).toEqual({
        condition: 'service_completed_successfully',
      });
    expect(doc.services['secrets-init']).toMatchObject({ network_mode: 'none', restart: 'no' });
    expect(doc.services.edge.profiles).toEqual(['edge']);
    expect(doc.services.prometheus.profiles).toEqual(['monitoring']);
  });

  it('refuses broken copies', () => {
    const d = load();
    d.name = 'notes';
    d.secrets = { x: { file: './secrets/x' } };
    d.services['svc-notes'].depends_on.redis.required = true;
    d.services['svc-notes'].volumes = [];
    d.services['svc-notes'].restart = 7;
    const found = problems(d).join('\n');
    for (const expected of [
      /top-level name/,
      /top-level secrets/,
      /depends_on.redis.required/,
      /svc-notes: reads \/run\/secrets/,
      /schema: \/services\/svc-notes\/restart must be string/,
    ])
      expect(found).toMatch(expected);
  });
});
