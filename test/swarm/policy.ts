/**
 * The stack file's policies as functions that return violations (empty = compliant), so the
 * tests can show each check passing on the real file and failing on a broken copy.
 */
import { DESIGN_CONTAINERS, DESIGN_NETWORKS, NEVER_REACH } from '../design/networks.js';
import type { Doc } from './stack-file.js';

/** DESIGN 1, plus the edge network where the proxy meets svc-notes only; jobs join their database's network. */
export const NETWORK_MATRIX: Record<string, string[]> = {
  proxy: ['edge'],
  ...Object.fromEntries(DESIGN_CONTAINERS.map((name) => [name, [...DESIGN_NETWORKS[name]!]])),
  'svc-notes': ['edge', ...DESIGN_NETWORKS['svc-notes']!],
  'migrate-notes': [...DESIGN_NETWORKS['db-notes']!],
  'migrate-userauth': [...DESIGN_NETWORKS['db-userauth']!],
};

/** Pairs that must never share a network: DESIGN 1's "never reach", the proxy's and the jobs'. */
export const FORBIDDEN_PAIRS: [string, string][] = [
  ...NEVER_REACH.map(([a, b]): [string, string] => [a, b]),
  ['proxy', 'db-notes'],
  ['proxy', 'redis'],
  ['proxy', 'svc-userauth'],
  ['proxy', 'db-userauth'],
  ['migrate-notes', 'db-userauth'],
  ['migrate-userauth', 'db-notes'],
];

export const APPS = ['proxy', 'svc-notes', 'svc-userauth'];
export const STATEFUL = ['db-userauth', 'db-notes', 'redis'];
export const JOBS = ['migrate-userauth', 'migrate-notes'];
export const BACKEND_NETWORKS = ['frontnet', 'svcnet', 'authnet'];
/** Networks that carry credentials or sessions (all of them, as it happens). */
export const ENCRYPTED_NETWORKS = ['edge', 'frontnet', 'svcnet', 'authnet'];
/** Third-party images allowed, pinned to a version; ours come from ${REGISTRY} only. */
export const PINNED_UPSTREAM = ['mariadb:10.11', 'redis:7', 'nginx:1.27'];

const SWARM_IGNORED_KEYS = ['build', 'container_name', 'depends_on', 'restart', 'links', 'network_mode'];

type Check = (doc: Doc) => string[];

const services = (doc: Doc): [string, Doc][] => Object.entries(doc.services ?? {});
const networksOf = (svc: Doc): string[] =>
  (Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks ?? {})).slice().sort();
const isJob = (svc: Doc) => /-job$/.test(svc.deploy?.mode ?? '');

/** Docker durations (10s, 1m30s, 500ms) in milliseconds; NaN when unparsable. */
export function durationMs(v: unknown): number {
  if (typeof v !== 'string' || !/^(\d+(ms|s|m|h))+$/.test(v)) return Number.NaN;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of v.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]!]!;
  return total;
}

/** Docker byte sizes (128M, 1G, 512m) in bytes; NaN when unparsable. */
export function bytes(v: unknown): number {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(String(v));
  if (!m) return Number.NaN;
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
  return Number(m[1]) * mult[m[2]!.toLowerCase()]!;
}

export const checks: Record<string, Check> = {
  'version 3.9, the expected services, no key that swarm ignores or refuses': (doc) => {
    const out: string[] = [];
    if (doc.version !== '3.9') out.push(`version is ${doc.version}, not "3.9"`);
    const names = Object.keys(doc.services ?? {}).sort();
    const expected = Object.keys(NETWORK_MATRIX).sort();
    if (names.join() !== expected.join())
      out.push(`services are ${names.join()}, expected ${expected.join()}`);
    for (const [name, svc] of services(doc)) {
      for (const key of SWARM_IGNORED_KEYS) if (key in svc) out.push(`${name} uses ${key}`);
    }
    return out;
  },

  'network matrix (DESIGN 1 + edge)': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      const want = (NETWORK_MATRIX[name] ?? []).slice().sort();
      const have = networksOf(svc);
      if (have.join() !== want.join()) out.push(`${name} is on [${have}], DESIGN says [${want}]`);
    }
    for (const [a, b] of FORBIDDEN_PAIRS) {
      const na = networksOf(doc.services?.[a] ?? {});
      const shared = networksOf(doc.services?.[b] ?? {}).filter((n) => na.includes(n));
      if (shared.length) out.push(`${a} and ${b} share ${shared}`);
    }
    const onEdge = services(doc)
      .filter(([, s]) => networksOf(s).includes('edge'))
      .map(([n]) => n)
      .sort();
    if (onEdge.join() !== 'proxy,svc-notes') out.push(`edge holds ${onEdge}, not just proxy and svc-notes`);
    return out;
  },

  'overlay networks: back-end ones internal, every one encrypted, nothing else declared': (doc) => {
    const out: string[] = [];
    const declared = Object.keys(doc.networks ?? {}).sort();
    if (declared.join() !== [...BACKEND_NETWORKS, 'edge'].sort().join()) out.push(`networks are ${declared}`);
    for (const [name, net] of Object.entries<Doc>(doc.networks ?? {})) {
      if (net?.driver !== 'overlay') out.push(`${name} is not an overlay network`);
      if (net?.external) out.push(`${name} is external`);
    }
    for (const name of BACKEND_NETWORKS) {
      if (doc.networks?.[name]?.internal !== true) out.push(`${name} is not internal`);
    }
    for (const name of ENCRYPTED_NETWORKS) {
      if (!doc.networks?.[name]?.driver_opts || !('encrypted' in doc.networks[name].driver_opts)) {
        out.push(`${name} is not encrypted`);
      }
    }
    return out;
  },

  'nothing but the proxy publishes ports; the proxy publishes exactly 80 and 443': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      if (name !== 'proxy' && svc.ports?.length) out.push(`${name} publishes ${JSON.stringify(svc.ports)}`);
    }
    const published = (doc.services?.proxy?.ports ?? [])
      .map((p: Doc) => `${p.published}->${p.target}`)
      .sort();
    if (published.join() !== '443->443,80->80') out.push(`proxy publishes ${published}`);
    return out;
  },

  'every long-running service has a health check; jobs have theirs disabled': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      const hc = svc.healthcheck;
      if (isJob(svc)) {
        if (hc?.disable !== true) out.push(`${name} (a job) keeps a health check that would kill it`);
        continue;
      }
      if (!hc || hc.disable) {
        out.push(`${name} has no health check`);
        continue;
      }
      if (!Array.isArray(hc.test) || !['CMD', 'CMD-SHELL'].includes(hc.test[0]))
        out.push(`${name}: bad test`);
      for (const k of ['interval', 'timeout', 'start_period']) {
        if (!(durationMs(hc[k]) > 0)) out.push(`${name}: healthcheck ${k} missing`);
      }
      if (!(hc.retries >= 1)) out.push(`${name}: healthcheck retries missing`);
      if (durationMs(hc.timeout) >= durationMs(hc.interval)) out.push(`${name}: timeout not below interval`);
    }
    return out;
  },

  'every service has CPU and memory limits and reservations (reservation <= limit)': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      const r = svc.deploy?.resources;
      for (const kind of ['limits', 'reservations']) {
        if (!(Number(r?.[kind]?.cpus) > 0)) out.push(`${name}: no cpu ${kind}`);
        if (!(bytes(r?.[kind]?.memory) > 0)) out.push(`${name}: no memory ${kind}`);
      }
      if (bytes(r?.reservations?.memory) > bytes(r?.limits?.memory))
        out.push(`${name}: memory reservation > limit`);
      if (Number(r?.reservations?.cpus) > Number(r?.limits?.cpus))
        out.push(`${name}: cpu reservation > limit`);
    }
    return out;
  },

  'every service has a restart policy: any for services, bounded on-failure for jobs': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      const rp = svc.deploy?.restart_policy;
      if (!rp) {
        out.push(`${name} has no restart_policy`);
        continue;
      }
      if (!(durationMs(rp.delay) > 0)) out.push(`${name}: restart delay missing`);
      if (isJob(svc)) {
        if (rp.condition !== 'on-failure') out.push(`${name}: a job must restart on-failure only`);
        if (!(rp.max_attempts > 0)) out.push(`${name}: a job needs bounded attempts`);
      } else if (rp.condition !== 'any') {
        out.push(`${name}: restart condition ${rp.condition}, expected any`);
      }
    }
    return out;
  },

  'apps roll start-first, one at a time, roll back on failure, after a monitor window': (doc) => {
    const out: string[] = [];
    for (const name of APPS) {
      const d = doc.services?.[name]?.deploy ?? {};
      const u = d.update_config ?? {};
      const rb = d.rollback_config ?? {};
      if (u.parallelism !== 1) out.push(`${name}: update parallelism ${u.parallelism}`);
      if (u.order !== 'start-first') out.push(`${name}: update order ${u.order}`);
      if (u.failure_action !== 'rollback') out.push(`${name}: failure_action ${u.failure_action}`);
      if (!(durationMs(u.monitor) >= 30_000)) out.push(`${name}: monitor ${u.monitor} (< 30s)`);
      if (rb.parallelism !== 1 || rb.order !== 'start-first')
        out.push(`${name}: rollback_config not 1/start-first`);
      if (!(durationMs(rb.monitor) > 0)) out.push(`${name}: rollback monitor missing`);
      if (d.mode !== 'replicated') out.push(`${name}: mode ${d.mode}`);
    }
    if (!(doc.services?.['svc-notes']?.deploy?.replicas >= 2))
      out.push('svc-notes has fewer than 2 replicas');
    if (doc.services?.['svc-userauth']?.deploy?.replicas !== 2)
      out.push('svc-userauth does not have 2 replicas');
    if (!(doc.services?.proxy?.deploy?.replicas >= 2)) out.push('proxy has fewer than 2 replicas');
    return out;
  },

  'stateful services: one replica, pinned by a node label, volume kept, updated stop-first': (doc) => {
    const out: string[] = [];
    const labels = new Set<string>();
    for (const name of STATEFUL) {
      const svc = doc.services?.[name] ?? {};
      const d = svc.deploy ?? {};
      if (d.mode !== 'replicated' || d.replicas !== 1) out.push(`${name}: not a single replica`);
      const pins = (d.placement?.constraints ?? []).filter((c: string) =>
        /^node\.labels\.\S+ == true$/.test(c),
      );
      if (pins.length !== 1) out.push(`${name}: not pinned by exactly one node label`);
      for (const p of pins) {
        if (labels.has(p)) out.push(`${name}: shares its label ${p}`);
        labels.add(p);
      }
      if (d.update_config?.order !== 'stop-first')
        out.push(`${name}: update order ${d.update_config?.order}`);
      if (d.rollback_config?.order !== 'stop-first')
        out.push(`${name}: rollback order ${d.rollback_config?.order}`);
      if (d.update_config?.failure_action === 'rollback')
        out.push(`${name}: auto-rollback of a stateful service`);
      const named = (svc.volumes ?? [])
        .map((v: string | Doc) => (typeof v === 'string' ? v.split(':')[0] : v.source))
        .filter((v: string) => v && !v.startsWith('/') && !v.startsWith('.'));
      if (named.length !== 1 || !(named[0] in (doc.volumes ?? {})))
        out.push(`${name}: no declared named volume`);
    }
    return out;
  },

  'migrations run as one-off jobs; replicas never migrate': (doc) => {
    const out: string[] = [];
    const pairs: [string, string, string][] = [
      ['migrate-userauth', 'svc-userauth', 'USERAUTH_MIGRATE_ON_START'],
      ['migrate-notes', 'svc-notes', 'NOTES_MIGRATE_ON_START'],
    ];
    for (const [job, app, flag] of pairs) {
      const j = doc.services?.[job] ?? {};
      if (j.deploy?.mode !== 'replicated-job' || j.deploy?.replicas !== 1)
        out.push(`${job}: not a single replicated-job`);
      if (JSON.stringify(j.command) !== JSON.stringify(['node', 'dist/migrate.js']))
        out.push(`${job}: command`);
      if (j.image !== doc.services?.[app]?.image) out.push(`${job}: image differs from ${app}'s`);
      if (doc.services?.[app]?.environment?.[flag] !== 'false') out.push(`${app}: ${flag} is not "false"`);
    }
    for (const [name, svc] of services(doc)) {
      if (!JOBS.includes(name) && isJob(svc)) out.push(`${name} is an unexpected job`);
    }
    return out;
  },

  'images: ours only from REGISTRY at TAG, others pinned': (doc) => {
    const out: string[] = [];
    for (const [name, svc] of services(doc)) {
      const image: string = svc.image ?? '';
      const ours = /^\$\{REGISTRY\}\/(svc-notes|svc-userauth):\$\{TAG\}$/.exec(image);
      if (ours) {
        const app = name.startsWith('migrate-') ? `svc-${name.slice('migrate-'.length)}` : name;
        if (ours[1] !== app) out.push(`${name} runs ${image}`);
      } else if (!PINNED_UPSTREAM.includes(image)) {
        out.push(`${name}: image ${image} is neither \${REGISTRY}/…:\${TAG} nor a pinned upstream image`);
      }
      if (name.startsWith('svc-') || name.startsWith('migrate-')) {
        if (!ours) out.push(`${name} must come from \${REGISTRY}`);
      }
    }
    return out;
  },
};

/** Secret policies need the raw file (names with their ${..._V} variables) and the interpolated one. */
export function secretViolations(raw: Doc): string[] {
  const out: string[] = [];
  const declared = raw.secrets ?? {};
  for (const [key, s] of Object.entries<Doc>(declared)) {
    if (s.external !== true) out.push(`secret ${key} is not external`);
    if ('file' in s || 'environment' in s) out.push(`secret ${key} has a source in the stack file`);
    const want = `notes_${key}_\${${key.toUpperCase()}_V:-v1}`;
    if (s.name !== want) out.push(`secret ${key} is named ${s.name}, expected ${want}`);
  }
  for (const [name, svc] of services(raw)) {
    const mounted = new Map<string, string>(); // target path -> secret key
    for (const ref of svc.secrets ?? []) {
      const source = typeof ref === 'string' ? ref : ref.source;
      const target = typeof ref === 'string' ? ref : (ref.target ?? ref.source);
      if (!(source in declared)) out.push(`${name} mounts undeclared secret ${source}`);
      mounted.set(target.startsWith('/') ? target : `/run/secrets/${target}`, source);
    }
    const env: Record<string, unknown> = Array.isArray(svc.environment)
      ? Object.fromEntries(svc.environment.map((e: string) => e.split(/=(.*)/s).slice(0, 2)))
      : (svc.environment ?? {});
    const used = new Set<string>();
    for (const [k, v] of Object.entries(env)) {
      const value = String(v ?? '');
      if (k.endsWith('_FILE')) {
        if (!mounted.has(value)) out.push(`${name}: ${k}=${value} is not a mounted secret`);
        used.add(value);
        continue;
      }
      if (/PASSWORD|SECRET|TOKEN|API_KEY|PASS$|CREDENTIAL|PRIVATE/i.test(k))
        out.push(`${name}: ${k} set in plain text`);
      if (/:\/\/[^/@\s]*:[^/@\s]+@/.test(value)) out.push(`${name}: ${k} holds a URL with a password`);
      if (
        /^[A-Za-z0-9+/=_-]{20,}$/.test(value) &&
        /[A-Z]/.test(value) &&
        /[a-z]/.test(value) &&
        /\d/.test(value)
      ) {
        out.push(`${name}: ${k} looks like a credential`);
      }
    }
    // A mounted secret nobody reads is a leak waiting to happen (or a typo); those read by the
    // images themselves by path are listed.
    const readByPath: Record<string, string[]> = {
      proxy: ['/run/secrets/tls.crt', '/run/secrets/tls.key'],
      redis: ['/run/secrets/redis.conf'],
    };
    for (const path of mounted.keys()) {
      const byCommandOrHealth = JSON.stringify([svc.command, svc.healthcheck]).includes(path);
      if (!used.has(path) && !readByPath[name]?.includes(path) && !byCommandOrHealth) {
        out.push(`${name} mounts ${path} but nothing reads it`);
      }
    }
  }
  return out;
}
