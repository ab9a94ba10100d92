/**
 * Policy tests of compose-swarm/docker-stack.yml (static: no engine needed). Each policy is a
 * function in ./policy.ts returning its violations; it must find none in the real file and must
 * find the planted one in a broken copy, so no policy passes vacuously.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks, NETWORK_MATRIX, secretViolations } from './policy.js';
import {
  DEPLOY_ENV,
  type Doc,
  deepClone,
  interpolateString,
  loadStack,
  NGINX_TEMPLATE,
  parseRaw,
  ROOT,
  readEnvFile,
  readStackText,
  STACK_ENV_EXAMPLE,
  variablesUsed,
} from './stack-file.js';

const stack = loadStack();

/** One broken copy per policy: the mutation must produce a violation matching the pattern. */
const breakages: Record<string, [(d: Doc) => void, RegExp[]]> = {
  'version 3.9, the expected services, no key that swarm ignores or refuses': [
    (d) => {
      d.services['svc-notes'].depends_on = ['db-notes'];
    },
    [/svc-notes uses depends_on/],
  ],
  'network matrix (DESIGN 1 + edge)': [
    (d) => d.services['svc-notes'].networks.push('authnet'),
    [/svc-notes and db-userauth share authnet/],
  ],
  'overlay networks: back-end ones internal, every one encrypted, nothing else declared': [
    (d) => {
      delete d.networks.svcnet.internal;
      delete d.networks.edge.driver_opts;
    },
    [/svcnet is not internal/, /edge is not encrypted/],
  ],
  'nothing but the proxy publishes ports; the proxy publishes exactly 80 and 443': [
    (d) => {
      d.services['svc-notes'].ports = ['3000:3000'];
    },
    [/svc-notes publishes/],
  ],
  'every long-running service has a health check; jobs have theirs disabled': [
    (d) => {
      delete d.services.redis.healthcheck;
      d.services['migrate-notes'].healthcheck = { test: ['CMD', 'true'] };
    },
    [/redis has no health check/, /migrate-notes \(a job\)/],
  ],
  'every service has CPU and memory limits and reservations (reservation <= limit)': [
    (d) => {
      delete d.services['svc-userauth'].deploy.resources.reservations;
      d.services.proxy.deploy.resources.reservations.memory = '1G';
    },
    [/svc-userauth: no cpu reservations/, /proxy: memory reservation > limit/],
  ],
  'every service has a restart policy: any for services, bounded on-failure for jobs': [
    (d) => {
      delete d.services['db-notes'].deploy.restart_policy;
      d.services['migrate-userauth'].deploy.restart_policy.condition = 'any';
    },
    [/db-notes has no restart_policy/, /migrate-userauth: a job must restart on-failure only/],
  ],
  'apps roll start-first, one at a time, roll back on failure, after a monitor window': [
    (d) => {
      d.services['svc-notes'].deploy.update_config = { ...d.services['svc-notes'].deploy.update_config };
      d.services['svc-notes'].deploy.update_config.order = 'stop-first';
      d.services['svc-notes'].deploy.replicas = 1;
    },
    [/svc-notes: update order stop-first/, /svc-notes has fewer than 2 replicas/],
  ],
  'stateful services: one replica, pinned by a node label, volume kept, updated stop-first': [
    (d) => {
      d.services['db-notes'].deploy.update_config = { ...d.services['db-notes'].deploy.update_config };
      d.services['db-notes'].deploy.update_config.order = 'start-first';
      d.services.redis.deploy.placement.constraints = ['node.role == worker'];
    },
    [/db-notes: update order start-first/, /redis: not pinned/],
  ],
  'migrations run as one-off jobs; replicas never migrate': [
    (d) => {
      d.services['svc-notes'].environment.NOTES_MIGRATE_ON_START = 'true';
      d.services['migrate-userauth'].deploy.mode = 'replicated';
    },
    [/migrate-userauth: not a single replicated-job/, /svc-notes: NOTES_MIGRATE_ON_START/],
  ],
  'images: ours only from REGISTRY at TAG, others pinned': [
    (d) => {
      d.services['svc-notes'].image = 'notes/svc-notes:latest';
      d.services.redis.image = 'redis:latest';
    },
    [/svc-notes must come from/, /redis: image redis:latest/],
  ],
};

describe('stack policies', () => {
  // Images are checked on the file as written (${REGISTRY}/…:${TAG}); everything else as deployed.
  const raw = parseRaw();
  const asWritten = new Set(['images: ours only from REGISTRY at TAG, others pinned']);

  for (const [name, check] of Object.entries(checks)) {
    it(name, () => {
      const subject = asWritten.has(name) ? raw : stack;
      expect(check(subject)).toEqual([]);
      const broken = deepClone(subject);
      const [mutate, expected] = breakages[name]!;
      mutate(broken);
      const found = check(broken).join('\n');
      for (const e of expected) expect(found).toMatch(e);
    });
  }

  it('has a broken copy for every policy', () => {
    expect(Object.keys(breakages).sort()).toEqual(Object.keys(checks).sort());
  });

  it('svc-notes replicas follow NOTES_REPLICAS (default 2)', () => {
    expect(stack.services['svc-notes'].deploy.replicas).toBe(2);
    expect(loadStack({ ...DEPLOY_ENV, NOTES_REPLICAS: '5' }).services['svc-notes'].deploy.replicas).toBe(5);
  });
});

describe('secrets', () => {
  const raw = parseRaw();

  it('every credential is an external, versioned secret read through *_FILE; none in plain text', () => {
    expect(secretViolations(raw)).toEqual([]);
  });

  it('finds plain-text credentials, dangling *_FILE paths and unversioned secrets', () => {
    const d = deepClone(raw);
    d.services['svc-notes'].environment.NOTES_SESSION_SECRET = 'x';
    d.services['svc-notes'].environment.NOTES_DB_URL = 'mysql://notes:hunter2@db-notes:3306/notes';
    d.services['svc-userauth'].environment.USERAUTH_API_KEYS_FILE = '/run/secrets/api_keys';
    d.services['db-notes'].environment.MARIADB_ROOT_PASSWORD = 'secret';
    d.services.proxy.environment.SOME_TOKENISH = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5';
    d.secrets.notes_session_secret = { file: './session.txt' };
    const v = secretViolations(d).join('\n');
    for (const expected of [
      /svc-notes: NOTES_SESSION_SECRET set in plain text/,
      /svc-notes: NOTES_DB_URL holds a URL with a password/,
      /svc-userauth: USERAUTH_API_KEYS_FILE=\/run\/secrets\/api_keys is not a mounted secret/,
      /db-notes: MARIADB_ROOT_PASSWORD set in plain text/,
      /proxy: SOME_TOKENISH looks like a credential/,
      /secret notes_session_secret is not external/,
    ]) {
      expect(v).toMatch(expected);
    }
  });

  it('the literal text of the stack file holds no credential-looking value', () => {
    const text = readStackText();
    expect(text).not.toMatch(/(PASSWORD|SECRET|API_KEYS?|TOKEN)\s*[:=]\s*(?!\/run\/secrets\/)\S/);
    expect(text).not.toMatch(/:\/\/[^/@\s]*:[^/@\s$]+@/);
    expect(text).not.toMatch(/-----BEGIN/);
  });
});

describe('edge proxy wiring', () => {
  const proxy = stack.services.proxy;
  const template = readFileSync(NGINX_TEMPLATE, 'utf8');

  it('mounts the repository template where the nginx image renders templates', () => {
    const cfg = proxy.configs.find((c: Doc) => c.source === 'nginx_notes_conf');
    expect(cfg.target).toBe('/etc/nginx/templates/default.conf.template');
    const file = stack.configs.nginx_notes_conf.file;
    expect(existsSync(join(ROOT, 'compose-swarm', file))).toBe(true);
    expect(join(ROOT, 'compose-swarm', file)).toBe(NGINX_TEMPLATE);
  });

  it('sets every variable the template uses, resolves through Docker DNS and reaches svc-notes on its port', () => {
    const used = [...template.matchAll(/\$\{([A-Z_][A-Z0-9_]*)\}/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(proxy.environment, name).toHaveProperty(name!);
    expect(proxy.environment.NGINX_RESOLVER).toBe('127.0.0.11');
    expect(proxy.environment.NOTES_UPSTREAM).toBe(
      `svc-notes:${stack.services['svc-notes'].environment.PORT}`,
    );
  });

  it('reads TLS from the swarm secrets the template names', () => {
    const targets = proxy.secrets.map((s: Doc) => `/run/secrets/${s.target}`);
    for (const m of template.matchAll(/ssl_certificate(?:_key)?\s+(\S+);/g)) expect(targets).toContain(m[1]);
    const key = proxy.secrets.find((s: Doc) => s.target === 'tls.key');
    expect(key.mode).toBe(0o400); // readable by nginx's master (root) only
  });

  it('proxies /socket.io/ with the upgrade headers, timeouts above Socket.IO ping interval + timeout', () => {
    const block = /location \/socket\.io\/ \{([\s\S]*?)\n {4}\}/.exec(template)?.[1] ?? '';
    expect(block).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(block).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
    expect(block).toMatch(/proxy_http_version 1\.1;/);
    const pingIntervalPlusTimeout = 25 + 20; // Socket.IO defaults, seconds
    for (const d of ['proxy_read_timeout', 'proxy_send_timeout']) {
      const s = Number(new RegExp(`${d} (\\d+)s;`).exec(block)?.[1]);
      expect(s, d).toBeGreaterThan(pingIntervalPlusTimeout);
    }
  });

  it('resolves service names at request time (resolver + a variable in every proxy_pass)', () => {
    expect(template).toMatch(/^resolver \$\{NGINX_RESOLVER\} valid=\d+s/m);
    const passes = [...template.matchAll(/proxy_pass (\S+);/g)].map((m) => m[1]);
    expect(passes.length).toBeGreaterThanOrEqual(2);
    for (const p of passes) expect(p).toMatch(/^http:\/\/\$notes_upstream$/);
  });
});

describe('deploy variables', () => {
  it('stack.env.example sets every variable of the stack file (but the one swarm-deploy.sh computes)', () => {
    const example = readEnvFile(STACK_ENV_EXAMPLE);
    const missing = [...variablesUsed()].filter((v) => !(v in example) && v !== 'NGINX_CONF_VERSION');
    expect(missing).toEqual([]);
    expect(variablesUsed().has('NGINX_CONF_VERSION')).toBe(true);
  });

  it('interpolation follows Docker: $$ is literal, defaults apply, a lone $ is an error', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Docker's syntax, not JavaScript's
    expect(interpolateString('a$$b ${X:-d} ${Y-e} $Z', { Y: '' })).toBe('a$b d  ');
    expect(() => interpolateString('$(cat x)', {})).toThrow(/invalid/);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Docker's syntax, not JavaScript's
    expect(() => interpolateString('${A:?must be set}', {})).toThrow(/must be set/);
  });

  it('the swarm-secrets.sh groups cover exactly the declared secrets', () => {
    const script = readFileSync(join(ROOT, 'scripts', 'swarm-secrets.sh'), 'utf8');
    const members = /members\(\) \{([\s\S]*?)\n\}/.exec(script)?.[1] ?? '';
    const named = [...members.matchAll(/echo "([^"]+)"/g)].flatMap((m) => m[1]!.split(' ')).sort();
    expect(named).toEqual(Object.keys(parseRaw().secrets).sort());
  });

  it('every service of the matrix exists in the stack', () => {
    expect(Object.keys(stack.services).sort()).toEqual(Object.keys(NETWORK_MATRIX).sort());
  });
});
