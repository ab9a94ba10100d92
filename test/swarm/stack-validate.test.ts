/**
 * The stack file is valid for the tools that read it:
 *  - the Compose Specification JSON schema (vendored in ./schema, validated with Ajv);
 *  - `docker stack config`, the Docker CLI's own stack loader, i.e. what `docker stack deploy`
 *    runs before it talks to the swarm (client side only: no engine, no swarm needed);
 *  - `docker-compose config` (Compose v1 here), the check the issue names.
 * Each check is also shown to refuse a broken copy, so none of them passes vacuously.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand, requirement, runSync } from '@notes/testkit/docker';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEPLOY_ENV, deepClone, loadStack, ROOT, readStackText, STACK_FILE } from './stack-file.js';

/**
 * The 2021 schema declares draft 2019-09 but is written in draft-04 style: its "id" members are
 * only labels ("#/properties/services"), never the target of a $ref, which all are plain JSON
 * pointers. Ajv refuses the old keyword, so the labels are dropped; every other keyword is
 * checked by Ajv's draft-07 engine (the same keywords as this schema uses).
 */
function withoutIdLabels(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdLabels);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string') && k !== '$schema')
      .map(([k, v]) => [k, withoutIdLabels(v)]),
  );
}
const schema = withoutIdLabels(
  JSON.parse(readFileSync(join(ROOT, 'test', 'swarm', 'schema', 'compose-spec.json'), 'utf8')),
) as object;
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

function schemaErrors(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('compose-spec JSON schema', () => {
  it('accepts the stack file as deployed (variables interpolated)', () => {
    expect(schemaErrors(loadStack())).toEqual([]);
    expect(
      schemaErrors(loadStack({ ...DEPLOY_ENV, NOTES_REPLICAS: '4', NOTES_DOMAIN: 'notes.example.com' })),
    ).toEqual([]);
  });

  it('refuses broken copies (unknown key, wrong type, bad update order)', () => {
    const unknownKey = deepClone(loadStack());
    unknownKey.services['svc-notes'].deploy.replica = 2;
    expect(schemaErrors(unknownKey).join('\n')).toMatch(/additional properties/);

    const wrongType = deepClone(loadStack());
    wrongType.services['svc-notes'].deploy.replicas = 'two';
    expect(schemaErrors(wrongType).join('\n')).toMatch(/replicas must be integer/);

    const badOrder = deepClone(loadStack());
    badOrder.services['svc-userauth'].deploy.update_config.order = 'start-last';
    expect(schemaErrors(badOrder).join('\n')).toMatch(/order must be equal to one of the allowed values/);
  });
});

/** A copy of the stack file with one text replacement, next to the original's relative files. */
function brokenCopy(name: string, from: string | RegExp, to: string): string {
  const text = readStackText();
  const broken = text.replace(from, to);
  if (broken === text) throw new Error(`the replacement for ${name} matched nothing`);
  const file = join(ROOT, 'compose-swarm', `.broken-${process.pid}-${name}.yml`);
  writeFileSync(file, broken);
  return file;
}

const stackConfigSupported =
  hasCommand('docker') &&
  runSync('docker', ['stack', 'config', '--help'], { timeoutMs: 20_000 }).status === 0;
const stackCli = requirement(stackConfigSupported, 'the Docker CLI with `docker stack config`');

describe.skipIf(stackCli.skip)('docker stack config (the loader of docker stack deploy)', () => {
  const env = { ...process.env, ...DEPLOY_ENV };

  it('loads the stack file without errors', () => {
    if (stackCli.missing) throw new Error(stackCli.missing);
    const r = runSync('docker', ['stack', 'config', '-c', STACK_FILE], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`image: ${DEPLOY_ENV.REGISTRY}/svc-notes:${DEPLOY_ENV.TAG}`);
    expect(r.stdout).toContain('mode: replicated-job');
  });

  it('refuses broken copies (a misspelt key, a bad update order, a non-boolean internal)', () => {
    if (stackCli.missing) throw new Error(stackCli.missing);
    const cases: [string, string | RegExp, string, RegExp][] = [
      ['key', 'update_config: *app-update', 'update_conifg: *app-update', /update_conifg/],
      ['order', 'order: start-first', 'order: start-last', /order must be one of/],
      ['internal', /^ {4}internal: true$/m, '    internal: "yes"', /internal must be a boolean/],
    ];
    for (const [name, from, to, message] of cases) {
      const file = brokenCopy(name, from, to);
      try {
        const r = runSync('docker', ['stack', 'config', '-c', file], { env });
        expect(r.status, name).not.toBe(0);
        expect(r.stderr, name).toMatch(message);
      } finally {
        rmSync(file, { force: true });
      }
    }
  });
});

const composeV1 = requirement(hasCommand('docker-compose', ['version']), 'docker-compose');

describe.skipIf(composeV1.skip)('docker-compose config', () => {
  const env = { ...process.env, ...DEPLOY_ENV };
  // Compose v1 validates against its own 3.9 schema and interpolates, but it cannot check what
  // only swarm does: it ignores `configs` (it says so), treats deploy.mode as any string, and
  // resolves neither external secrets nor node labels. docker stack config above covers the rest.

  it('validates the stack file', () => {
    if (composeV1.missing) throw new Error(composeV1.missing);
    const r = runSync('docker-compose', ['-f', STACK_FILE, 'config'], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`image: ${DEPLOY_ENV.REGISTRY}/svc-userauth:${DEPLOY_ENV.TAG}`);
  });

  it('refuses a broken copy', () => {
    if (composeV1.missing) throw new Error(composeV1.missing);
    const bad = brokenCopy('v1', /order: stop-first/, 'order: stop-frist');
    try {
      const r = runSync('docker-compose', ['-f', bad, 'config'], { env });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/stop-frist/);
    } finally {
      rmSync(bad, { force: true });
    }
  });
});
