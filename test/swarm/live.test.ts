/**
 * The swarm stack's images, settings and edge proxy, run for real: compose-swarm/docker-stack.yml
 * is turned into a Compose file (./live-compose.ts says exactly what changes and why) with the
 * compose-local images (REGISTRY=notes TAG=local), the real nginx template, a certificate made for
 * this run and svc-notes scaled to the stack's 2 replicas. Then, over HTTPS through nginx only:
 * log in, create a note, and watch a second client receive the edits live over a WebSocket, with
 * the edits served by the other replica than the one holding that socket.
 *
 * Needs a Docker-compatible engine (the shared docker-standin) and builds both images from this
 * work tree first; skipped without an engine unless CI is set. The compose project is private to this run and removed with its volumes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSocket, csrfFrom, fieldValue, nextEvent } from '@notes/notes/testing';
import { freePort } from '@notes/testkit';
import {
  DOCKER_ENV,
  dockerAsync,
  engineReachable,
  hasCommand,
  requirement,
  run,
} from '@notes/testkit/docker';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { toLiveCompose } from './live-compose.js';
import { loadStack, NGINX_TEMPLATE, ROOT } from './stack-file.js';
import { selfSignedCert } from './tls.js';

const LIVE_ENV = { REGISTRY: 'notes', TAG: 'local' };

/**
 * Builds both images from this work tree, tagged as compose-local tags them (notes/svc-*:local),
 * so the test never runs stale images left by an earlier run; the layer cache makes an unchanged
 * tree quick. NOTES_SWARM_LIVE_BUILD=0 uses the images as they are.
 */
async function buildImages() {
  for (const svc of ['notes', 'userauth']) {
    const tag = `${LIVE_ENV.REGISTRY}/svc-${svc}:${LIVE_ENV.TAG}`;
    if (
      process.env.NOTES_SWARM_LIVE_BUILD === '0' &&
      (await dockerAsync(['image', 'inspect', tag])).status === 0
    )
      continue;
    const r = await dockerAsync(['build', '-q', '-f', `services/${svc}/Dockerfile`, '-t', tag, '.'], {
      cwd: ROOT,
      timeoutMs: 900_000,
    });
    if (r.status !== 0) throw new Error(`docker build ${tag} failed:\n${r.stderr.slice(-4000)}`);
  }
}
const ready =
  engineReachable() && hasCommand('docker-compose', ['version']) && hasCommand('openssl', ['version']);
const live = requirement(ready, 'a Docker engine, docker-compose and openssl');

const project = `notesswarmlive${process.pid}`;
const LONG_RUNNING = ['svc-notes', 'svc-userauth', 'db-notes', 'db-userauth', 'redis'];
const work = mkdtempSync(join(tmpdir(), 'notes-swarm-live-'));
const composeFile = join(work, 'compose.yml');

function compose(args: string[], timeoutMs = 300_000) {
  return run('docker-compose', ['-p', project, '-f', composeFile, ...args], {
    env: DOCKER_ENV,
    timeoutMs,
  });
}

/** Container ids of one service of the project (-a: stopped ones too). */
async function ids(service: string, all = false): Promise<string[]> {
  const r = await compose(['ps', ...(all ? ['-a'] : []), '-q', service], 60_000);
  return r.stdout.trim().split('\n').filter(Boolean);
}

async function inspect(format: string, id: string): Promise<string> {
  return (await dockerAsync(['inspect', '--format', format, id])).stdout.trim();
}

/** "service:health" for every container of the long-running services. */
async function healthStates(): Promise<string[]> {
  const out: string[] = [];
  for (const svc of LONG_RUNNING) {
    for (const id of await ids(svc)) out.push(`${svc}:${await inspect('{{.State.Health.Status}}', id)}`);
  }
  return out;
}

/** A browser stand-in over HTTPS that trusts only this run's certificate; keeps cookies. */
class Browser {
  readonly cookies = new Map<string, string>();
  readonly setCookieLines: string[] = [];
  constructor(
    readonly base: string,
    readonly ca: string,
  ) {}
  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  request(method: string, path: string, body?: Record<string, string>) {
    const payload = body ? new URLSearchParams(body).toString() : undefined;
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>(
      (resolve, reject) => {
        const req = https.request(
          `${this.base}${path}`,
          {
            method,
            ca: this.ca,
            headers: {
              ...(this.cookies.size ? { cookie: this.cookieHeader() } : {}),
              ...(payload ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
            },
            timeout: 15_000,
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => {
              text += c;
            });
            res.on('end', () => {
              for (const line of res.headers['set-cookie'] ?? []) {
                this.setCookieLines.push(line);
                const [pair] = line.split(';');
                const eq = pair!.indexOf('=');
                this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
              }
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
        req.on('error', reject);
        req.end(payload);
      },
    );
  }
  get(path: string) {
    return this.request('GET', path);
  }
  async submit(page: string, action: string, fields: Record<string, string>) {
    const form = await this.get(page);
    return this.request('POST', action, { _csrf: csrfFrom(form.text, action), ...fields });
  }
}

/** Lines of the proxy's access log (notes_edge format): request, status, upstream. */
async function proxyLog(): Promise<{ request: string; status: number; upstream: string }[]> {
  const r = await compose(['logs', '--no-color', 'proxy'], 60_000);
  const out: { request: string; status: number; upstream: string }[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /"(\w+ \S+) HTTP\/[\d.]+" (\d{3}) .*upstream=(\S+)/.exec(line);
    if (m) out.push({ request: m[1]!, status: Number(m[2]), upstream: m[3]! });
  }
  return out;
}

describe.skipIf(live.skip)(
  'the swarm stack under compose: 2 svc-notes replicas behind the nginx edge',
  () => {
    let base = '';
    let httpPort = 0;
    let ca = '';
    const sockets: Socket[] = [];
    const alice = { username: 'alice', password: `pw-${randomBytes(9).toString('hex')}` };
    let scale: Record<string, number> = {};

    beforeAll(async () => {
      // Under CI a missing engine fails every test below (a throwing beforeAll would only skip them).
      if (live.missing) return;
      await buildImages();
      const secretsDir = join(work, 'secrets');
      mkdirSync(secretsDir);
      const tls = selfSignedCert(work);
      ca = readFileSync(tls.cert, 'utf8');
      const rand = (n: number) => randomBytes(n).toString('base64url').slice(0, n);
      const redisPassword = rand(32);
      const notesKey = `notes:${rand(40)}`;
      const adminKey = `admin:${rand(40)}`;
      const values: Record<string, string> = {
        tls_cert: ca,
        tls_key: readFileSync(tls.key, 'utf8'),
        db_userauth_root_password: rand(32),
        userauth_db_password: rand(32),
        userauth_api_keys: `${notesKey},${adminKey}`,
        userauth_admin_api_key: adminKey,
        userauth_mfa_key: rand(64),
        db_notes_root_password: rand(32),
        notes_db_password: rand(32),
        notes_userauth_api_key: notesKey,
        notes_session_secret: rand(64),
        notes_redis_url: `redis://:${redisPassword}@redis:6379`,
        redis_conf: `requirepass ${redisPassword}\n`,
      };
      const stack = loadStack(LIVE_ENV);
      expect(Object.keys(values).sort()).toEqual(Object.keys(stack.secrets).sort());
      // World-readable like swarm's default secret mode (0444): the containers run as other users.
      for (const [k, v] of Object.entries(values)) writeFileSync(join(secretsDir, k), v, { mode: 0o644 });

      const httpsPort = await freePort();
      httpPort = await freePort();
      const derived = toLiveCompose(stack, {
        secretsDir,
        nginxTemplate: NGINX_TEMPLATE,
        httpsPort,
        httpPort,
      });
      scale = derived.scale;
      writeFileSync(composeFile, stringify(derived.compose, { version: '1.1' }));
      base = `https://127.0.0.1:${httpsPort}`;

      const scaleArgs = Object.entries(scale).flatMap(([s, n]) => ['--scale', `${s}=${n}`]);
      const up = await compose(['up', '-d', ...scaleArgs], 420_000);
      if (up.status !== 0) throw new Error(`compose up failed:\n${up.stderr.slice(-4000)}`);

      // Ready when every long-running container is healthy (as swarm would report the tasks
      // running) and the edge answers the home page.
      const deadline = Date.now() + 240_000;
      let last = '';
      for (;;) {
        const states = await healthStates();
        const unhealthy = states.filter((s) => !s.endsWith(':healthy'));
        if (unhealthy.length === 0 && states.length >= LONG_RUNNING.length) {
          try {
            const r = await new Browser(base, ca).get('/');
            if (r.status === 200) break;
            last = `edge answered HTTP ${r.status}`;
          } catch (err) {
            last = `edge: ${err}`;
          }
        } else {
          last = `not healthy yet: ${unhealthy.join(' ')}`;
        }
        if (Date.now() > deadline)
          throw new Error(`the stack never became ready (${last}):\n${(await compose(['ps'])).stdout}`);
        await new Promise((r) => setTimeout(r, 2000));
      }
      // One CI run saw this first write answered with a 500 right after the stack turned healthy; the
      // cause is not known yet. Retry twice, and print what svc-userauth logged when that happens.
      for (let attempt = 1; ; attempt++) {
        const add = await dockerAsync([
          'exec',
          `${project}_svc-userauth_1`,
          'userauth',
          'add',
          alice.username,
          '--password',
          alice.password,
        ]);
        if (add.status === 0) break;
        // A retry after a write that did land answers 409: the user is there.
        if (attempt > 1 && /conflict/.test(`${add.stdout}${add.stderr}`)) break;
        const logs = await dockerAsync(['logs', '--tail', '40', `${project}_svc-userauth_1`]);
        const problems = `${logs.stdout}${logs.stderr}`
          .split('\n')
          .filter((line) => !line.includes('"level":30'))
          .join('\n');
        console.warn(`userauth add attempt ${attempt} failed: ${add.stdout}${add.stderr}\n${problems}`);
        if (attempt === 3) throw new Error(`userauth add failed: ${add.stdout}${add.stderr}`);
        await new Promise((r) => setTimeout(r, 3000));
      }
    }, 1_500_000);

    afterAll(async () => {
      for (const s of sockets) s.close();
      if (!live.skip && !live.missing) {
        if (process.env.NOTES_SWARM_LIVE_KEEP) return;
        await compose(['down', '-v', '--remove-orphans'], 180_000);
      }
      rmSync(work, { recursive: true, force: true });
    }, 240_000);

    it('runs the stack with 2 svc-notes replicas, all long-running services healthy', async () => {
      if (live.missing) throw new Error(live.missing);
      expect(scale['svc-notes']).toBe(2);
      expect(await ids('svc-notes')).toHaveLength(2);
      const states = await healthStates();
      expect(states.filter((st) => st.startsWith('svc-notes:'))).toHaveLength(2);
      for (const st of states) expect(st).toMatch(/:healthy$/);
      for (const job of ['migrate-userauth', 'migrate-notes']) {
        const [id] = await ids(job, true);
        expect(await inspect('{{.State.ExitCode}}', id!), job).toBe('0');
      }
    }, 120_000);

    it('serves HTTPS only through the proxy: port 80 redirects, HSTS is sent, no app port is published', async () => {
      if (live.missing) throw new Error(live.missing);
      const plain = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
        http
          .get(`http://127.0.0.1:${httpPort}/notes/add`, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, location: res.headers.location });
          })
          .on('error', reject);
      });
      expect(plain.status).toBe(301);
      expect(plain.location).toBe('https://127.0.0.1/notes/add');
      const r = await new Browser(base, ca).get('/');
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(r.headers.server).toBe('nginx');
      const published = (await compose(['ps'])).stdout;
      expect(published).not.toMatch(/->3000|->5858|->3306|->6379/);
    });

    it('login + create through the proxy, then a second client sees the edits live, across replicas', async () => {
      if (live.missing) throw new Error(live.missing);
      const a = new Browser(base, ca);
      const login = await a.submit('/users/login', '/users/login', alice);
      expect(login.status).toBe(302);
      // The session cookie is Secure: svc-notes saw X-Forwarded-Proto https from the trusted proxy.
      const sid = a.setCookieLines.find((l) => /^notes\.sid=/.test(l));
      expect(sid).toMatch(/;\s*Secure/i);
      expect(sid).toMatch(/HttpOnly/i);

      const key = `swarm-${randomBytes(4).toString('hex')}`;
      const created = await a.submit('/notes/add', '/notes/save', {
        docreate: 'create',
        notekey: key,
        title: 'Through the edge',
        body: 'made over **HTTPS**',
        visibility: 'public', // the anonymous reader below
      });
      expect(created.status).toBe(302);
      expect(created.headers.location).toBe(`/notes/view?key=${key}`);
      const view = await a.get(`/notes/view?key=${key}`);
      expect(view.status).toBe(200);
      expect(view.text).toContain('Through the edge');

      // The second client: an anonymous reader of the note and of the home list, over WebSocket.
      const reader = await connectSocket(base, '/notes', { ca, timeoutMs: 10_000 });
      const home = await connectSocket(base, '/home', { ca, timeoutMs: 10_000 });
      sockets.push(reader, home);
      expect(await reader.timeout(5000).emitWithAck('join', { key })).toMatchObject({ ok: true, key });

      // Several edits: nginx balances requests over both replicas' addresses, so some are served by
      // the replica that does not hold the reader's socket; every one must arrive (Redis fan-out).
      const titles: string[] = [];
      for (let i = 1; i <= 4; i++) {
        if (i % 2 === 0) await a.get('/'); // shifts the round-robin parity of the next save
        const form = await a.get(`/notes/edit?key=${key}`);
        const title = `Edit ${i} at the edge`;
        titles.push(title);
        const onNote = nextEvent<{ key: string; title: string }>(
          reader,
          'noteupdated',
          (n) => n.title === title,
          10_000,
        );
        const onHome = nextEvent<{ key: string; title: string }>(
          home,
          'noteupdated',
          (n) => n.title === title,
          10_000,
        );
        const saved = await a.request('POST', '/notes/save', {
          _csrf: csrfFrom(form.text, '/notes/save'),
          docreate: 'update',
          notekey: key,
          version: fieldValue(form.text, 'version')!,
          title,
          body: `edit ${i}`,
        });
        expect(saved.status, `save ${i}`).toBe(302);
        expect(await onNote).toMatchObject({ key, title });
        expect(await onHome).toMatchObject({ key, title });
      }

      // Which replica served what, from the proxy's own access log (written when a request ends,
      // so the sockets are closed first).
      reader.close();
      home.close();
      const replicas: string[] = [];
      for (const id of await ids('svc-notes')) {
        replicas.push(await inspect(`{{(index .NetworkSettings.Networks "${project}_edge").IPAddress}}`, id));
      }
      expect(replicas).toHaveLength(2);
      await expect
        .poll(async () => (await proxyLog()).filter((l) => l.request.startsWith('GET /socket.io/')).length, {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(2);
      const log = await proxyLog();
      const upstreamOf = (l: { upstream: string }) => l.upstream.replace(/:3000$/, '');
      const socketReplicas = log.filter((l) => l.request.startsWith('GET /socket.io/')).map(upstreamOf);
      const saveReplicas = log.filter((l) => l.request === 'POST /notes/save').map(upstreamOf);
      for (const ip of [...socketReplicas, ...saveReplicas]) expect(replicas).toContain(ip);
      // Both replicas served saves, so at least one edit crossed from one replica to the other's socket.
      expect(new Set(saveReplicas)).toEqual(new Set(replicas));
      expect(titles).toHaveLength(4);
      console.info(
        `[swarm live] replicas ${replicas.join(', ')}; sockets served by ${socketReplicas.join(', ')}; ` +
          `saves served by ${saveReplicas.join(', ')}`,
      );
    });
  },
);
