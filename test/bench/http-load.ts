import autocannon from 'autocannon';
import { cpuMs } from './cpu.js';
import { percentile } from './stats.js';

export interface HttpResult {
  /** Mean requests per second over the run (only the timed requests for a login round). */
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Mean latency (ms, fractional; autocannon's percentiles are whole milliseconds). */
  mean: number;
  /**
   * CPU time the server process used per completed request (ms; /proc, 10 ms ticks). Unlike req/s it
   * hardly depends on how busy the rest of the machine is, so its ratio is the steadier comparison.
   */
  cpuMsPerRequest: number;
  /** Requests completed (timed requests only for a login round). */
  requests: number;
  /** Responses that were not what the scenario expects (status, redirect target), plus errors. */
  failures: number;
  /** Failed responses by status code (login round only). */
  failureStatuses?: Record<string, number>;
  seconds: number;
}

export interface GetScenario {
  url: string;
  /** The server's process id, for its CPU time. */
  pid: number;
  path: string;
  headers?: Record<string, string>;
  connections: number;
  duration: number;
  /** Seconds of warm-up first (default 2). */
  warmup?: number;
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...options, timeout: 10 }, (err, result) =>
      err ? reject(err) : resolve(result),
    );
    // A hard stop in case the target hangs: autocannon's own duration plus a margin.
    const limit = setTimeout(() => instance.stop(), (Number(options.duration ?? 10) + 15) * 1000);
    instance.once('done', () => clearTimeout(limit));
  });
}

/** Closed-loop GET load with autocannon after a short warm-up; every non-2xx counts as a failure. */
export async function loadGet(s: GetScenario): Promise<HttpResult> {
  const base = { url: s.url + s.path, headers: s.headers ?? {}, connections: s.connections };
  if ((s.warmup ?? 2) > 0) await run({ ...base, duration: s.warmup ?? 2 });
  const cpuBefore = await cpuMs(s.pid);
  const r = await run({ ...base, duration: s.duration });
  const cpu = (await cpuMs(s.pid)) - cpuBefore;
  const seconds = (r.finish.getTime() - r.start.getTime()) / 1000;
  return {
    reqPerSec: r['2xx'] / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    cpuMsPerRequest: cpu / Math.max(1, r['2xx'] + r.non2xx),
    requests: r['2xx'],
    failures: r.non2xx + r.errors + r.timeouts,
    seconds,
  };
}

export interface LoginScenario {
  url: string;
  /** The server's process id, for its CPU time (not counting svc-userauth's bcrypt for the app). */
  pid: number;
  connections: number;
  duration: number;
  username: string;
  password: string;
  /** Extracts the CSRF token from the login form's HTML ('' when the form has none). */
  tokenFrom: (html: string) => string;
  /** Name of the form field that carries the CSRF token. */
  tokenField: string;
}

interface LoginContext {
  cookie?: string;
  token?: string;
  postStarted?: number;
}

/** autocannon hands over headers with their names as sent (any case). */
function headerValue(headers: Record<string, unknown> | undefined, name: string): unknown {
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

function cookieOf(headers: Record<string, unknown> | undefined): string {
  const raw = headerValue(headers, 'set-cookie');
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list.map((c: string) => c.split(';')[0]).join('; ');
}

function header(headers: Record<string, unknown> | undefined, name: string): string {
  const v = headerValue(headers, name);
  return Array.isArray(v) ? String(v[0]) : typeof v === 'string' ? v : '';
}

/**
 * A login round per connection: GET /users/login (fresh session + CSRF token), then POST the form.
 * autocannon drives both; only the POST is timed (hooks stamp it), and it counts as a success only
 * when it redirects away from the login form (302 to anything but /users/login).
 */
export async function loadLogin(s: LoginScenario): Promise<HttpResult> {
  const latencies: number[] = [];
  let failures = 0;
  const failureStatuses: Record<string, number> = {};
  let recording = false;
  const requests: autocannon.Request[] = [
    {
      method: 'GET',
      path: '/users/login',
      onResponse: (status, body, context, headers) => {
        const c = context as LoginContext;
        c.cookie = cookieOf(headers as Record<string, unknown>);
        c.token = status === 200 ? s.tokenFrom(body) : '';
      },
    },
    {
      method: 'POST',
      path: '/users/login',
      setupRequest: (req, context) => {
        const c = context as LoginContext;
        const form = new URLSearchParams({ username: s.username, password: s.password });
        if (c.token) form.set(s.tokenField, c.token);
        c.postStarted = performance.now();
        return {
          ...req,
          body: form.toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...(c.cookie ? { cookie: c.cookie } : {}),
          },
        };
      },
      onResponse: (status, _body, context, headers) => {
        const c = context as LoginContext;
        if (!recording || c.postStarted === undefined) return;
        const location = header(headers as Record<string, unknown>, 'location');
        if (status === 302 && !location.includes('/users/login')) {
          latencies.push(performance.now() - c.postStarted);
        } else {
          failures++;
          failureStatuses[status] = (failureStatuses[status] ?? 0) + 1;
        }
      },
    },
  ];
  const base = { url: s.url, connections: s.connections, requests };
  await run({ ...base, duration: 2 });
  recording = true;
  const cpuBefore = await cpuMs(s.pid);
  const started = performance.now();
  const r = await run({ ...base, duration: s.duration });
  recording = false;
  const cpu = (await cpuMs(s.pid)) - cpuBefore;
  const seconds = (performance.now() - started) / 1000;
  return {
    reqPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
    cpuMsPerRequest: cpu / Math.max(1, latencies.length + failures),
    requests: latencies.length,
    failures: failures + r.errors + r.timeouts,
    failureStatuses,
    seconds,
  };
}
