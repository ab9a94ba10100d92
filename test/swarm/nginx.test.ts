/**
 * The edge proxy's template passes `nginx -t` inside the nginx image, rendered by the image's own
 * entrypoint exactly as in swarm (NGINX_RESOLVER 127.0.0.11, TLS files at /run/secrets/). Needs a
 * Docker-compatible engine; skipped without one unless CI is set.
 *
 * `docker run --rm` loses the container's exit status on the stand-in engine (podman's API), so
 * the containers are run without --rm and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@notes/testkit';
import { docker, engineReachable, hasCommand, requirement } from '@notes/testkit/docker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NGINX_TEMPLATE } from './stack-file.js';
import { selfSignedCert } from './tls.js';

const engine = requirement(
  engineReachable() && hasCommand('openssl', ['version']),
  'a Docker engine and openssl',
);
const IMAGE = 'nginx:1.27';

describe.skipIf(engine.skip)('nginx -t on the edge template, inside the nginx image', () => {
  let dir = '';
  let tls: { cert: string; key: string };
  const names: string[] = [];

  // Under CI a missing engine fails every test below (a throwing beforeAll would only skip them).
  beforeAll(() => {
    if (engine.missing) return;
    dir = mkdtempSync(join(tmpdir(), 'notes-swarm-nginx-'));
    tls = selfSignedCert(dir);
  });
  afterAll(() => {
    for (const n of names) docker(['rm', '-f', n]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `docker run` of the nginx image with the edge template and TLS files; `extra` before the image. */
  function nginxRun(env: Record<string, string>, extra: string[], command: string[]) {
    const name = `notes-swarm-nginx-t-${process.pid}-${names.length}`;
    names.push(name);
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    return {
      name,
      result: docker([
        'run',
        '--name',
        name,
        ...extra,
        ...envArgs,
        '-v',
        `${NGINX_TEMPLATE}:/etc/nginx/templates/default.conf.template:ro`,
        '-v',
        `${tls.cert}:/run/secrets/tls.crt:ro`,
        '-v',
        `${tls.key}:/run/secrets/tls.key:ro`,
        IMAGE,
        ...command,
      ]),
    };
  }

  function nginxT(env: Record<string, string>) {
    return nginxRun(env, [], ['nginx', '-T']).result;
  }

  const swarmEnv = { NGINX_RESOLVER: '127.0.0.11', NOTES_UPSTREAM: 'svc-notes:3000', NGINX_SERVER_NAME: '_' };

  it('renders and passes with the stack file environment', () => {
    if (engine.missing) throw new Error(engine.missing);
    const r = nginxT(swarmEnv);
    expect(r.stderr).toMatch(/test is successful/);
    expect(r.status, r.stderr).toBe(0);
    // nginx -T prints the configuration it tested: the rendered template replaced the default site.
    expect(r.stdout).toMatch(/resolver 127\.0\.0\.11 valid=10s/);
    expect(r.stdout).toMatch(/set \$notes_upstream svc-notes:3000;/);
    expect(r.stdout).not.toMatch(/\/usr\/share\/nginx\/html/);
  });

  it('fails when a variable of the template is missing (so the check is real)', () => {
    if (engine.missing) throw new Error(engine.missing);
    const { NGINX_RESOLVER: _, ...withoutResolver } = swarmEnv;
    const r = nginxT(withoutResolver);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/host not found in resolver|test failed/);
  });

  it('keeps a share link token out of the access log (it is a credential)', async () => {
    if (engine.missing) throw new Error(engine.missing);
    const port = await freePort();
    const { name, result } = nginxRun(swarmEnv, ['-d', '-p', `127.0.0.1:${port}:80`], []);
    expect(result.status, result.stderr).toBe(0);
    // Port 80 answers every path with a redirect to https, logged in the edge format.
    let status = 0;
    for (let i = 0; i < 50 && status !== 301; i++) {
      status = await fetch(`http://127.0.0.1:${port}/s/Zx9-secret-share-token`, { redirect: 'manual' })
        .then((r) => r.status)
        .catch(() => 0);
      if (status !== 301) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(301);
    await fetch(`http://127.0.0.1:${port}/notes/view?key=k1`, { redirect: 'manual' });
    let log = '';
    for (let i = 0; i < 20 && !log.includes('/notes/view'); i++) {
      log = docker(['logs', name]).stdout;
      if (!log.includes('/notes/view')) await new Promise((r) => setTimeout(r, 200));
    }
    expect(log).toContain('"GET /s/<token> HTTP/1.1" 301');
    expect(log).toContain('"GET /notes/view?key=k1 HTTP/1.1" 301');
    expect(log).not.toContain('secret-share-token');
  });
});
