/**
 * Turns compose-swarm/docker-stack.yml into a Compose file that runs here (Compose v1 on the
 * stand-in engine has no swarm), changing only what swarm alone provides:
 *  - external swarm secrets -> file secrets from a throwaway folder (same names, same targets);
 *  - the nginx template `config` -> a read-only bind mount at the same target;
 *  - overlay networks -> bridge networks, `internal` kept (bridge has no encryption option);
 *  - migration jobs (replicated-job) -> one-shot containers the apps wait for (swarm's restart
 *    policy does that waiting in the cluster); deploy.replicas -> `--scale`, except for the proxy,
 *    whose ports are host ports here (one proxy; swarm's ingress mesh spreads over its replicas);
 *  - secret `mode` is dropped (file secrets cannot set it);
 *  - the proxy's resolver: Docker's 127.0.0.11 does not exist under podman, so the first
 *    nameserver of the container is used, through the same NGINX_RESOLVER variable;
 *  - the proxy's curl health check (the stand-in nginx image has no curl) is left out.
 * Images, environment, commands, secret targets, health checks and the network membership are
 * taken from the stack file as they are.
 */
import type { Doc } from './stack-file.js';

export interface LiveOptions {
  /** Folder holding one file per declared secret, named after the secret's key. */
  secretsDir: string;
  nginxTemplate: string;
  httpsPort: number;
  httpPort: number;
}

const escapeDollars = (v: unknown): unknown => {
  if (typeof v === 'string') return v.replace(/\$/g, '$$$$');
  if (Array.isArray(v)) return v.map(escapeDollars);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeDollars(x)]));
  return v;
};

export function toLiveCompose(stack: Doc, o: LiveOptions): { compose: Doc; scale: Record<string, number> } {
  const services: Doc = {};
  const scale: Record<string, number> = {};
  const jobs = Object.entries<Doc>(stack.services)
    .filter(([, s]) => s.deploy?.mode === 'replicated-job')
    .map(([n]) => n);

  for (const [name, svc] of Object.entries<Doc>(stack.services)) {
    const { deploy, configs, ...rest } = svc;
    const out: Doc = { ...rest };
    const isJob = jobs.includes(name);
    out.restart = isJob ? 'no' : 'unless-stopped';
    // One proxy: its ports are host ports here (swarm's ingress mesh spreads them over replicas).
    if (deploy?.replicas > 1 && name !== 'proxy') scale[name] = deploy.replicas;
    // File secrets support neither mode nor owner (swarm's 0444 default is what they get anyway).
    if (out.secrets) {
      out.secrets = out.secrets.map((s: string | Doc) =>
        typeof s === 'string' ? s : { source: s.source, ...(s.target ? { target: s.target } : {}) },
      );
    }
    if (configs) {
      out.volumes = [
        ...(out.volumes ?? []),
        ...configs.map((c: Doc) => {
          if (c.source !== 'nginx_notes_conf') throw new Error(`unknown config ${c.source}`);
          return `${o.nginxTemplate}:${c.target}:ro`;
        }),
      ];
    }
    if (name === 'proxy') {
      out.ports = [`127.0.0.1:${o.httpsPort}:443`, `127.0.0.1:${o.httpPort}:80`];
      out.entrypoint = [
        '/bin/sh',
        '-c',
        // sh -c 'script' sh nginx -g 'daemon off;': the image's entrypoint with its own command.
        `NGINX_RESOLVER=$(awk '$1 == "nameserver" { print $2; exit }' /etc/resolv.conf) && export NGINX_RESOLVER && exec /docker-entrypoint.sh "$@"`,
        'sh',
      ];
      out.command = ['nginx', '-g', 'daemon off;'];
      delete out.healthcheck;
    }
    // Swarm retries until the stores answer; compose is told the order instead.
    const needs: Record<string, Doc> = {};
    const on = (n: string, condition: string) => {
      needs[n] = { condition };
    };
    if (name === 'migrate-userauth') on('db-userauth', 'service_healthy');
    if (name === 'migrate-notes') on('db-notes', 'service_healthy');
    if (name === 'svc-userauth') on('migrate-userauth', 'service_completed_successfully');
    if (name === 'svc-notes') {
      on('migrate-notes', 'service_completed_successfully');
      on('redis', 'service_healthy');
      on('svc-userauth', 'service_healthy');
    }
    if (Object.keys(needs).length) out.depends_on = needs;
    services[name] = out;
  }

  const networks: Doc = {};
  for (const [name, net] of Object.entries<Doc>(stack.networks)) {
    networks[name] = { driver: 'bridge', ...(net.internal ? { internal: true } : {}) };
  }
  const secrets: Doc = {};
  for (const key of Object.keys(stack.secrets)) secrets[key] = { file: `${o.secretsDir}/${key}` };

  const compose = escapeDollars({ services, networks, volumes: stack.volumes, secrets }) as Doc;
  return { compose, scale };
}
