import { freePort } from '@notes/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { API_KEY, startUserauth } from '../testing/processes.js';

const json = {
  authorization: `Basic ${Buffer.from(API_KEY).toString('base64')}`,
  'content-type': 'application/json',
};

/** The value of one sample line, e.g. `db_query_duration_seconds_count{...operation="SELECT"}`. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : Number.NaN;
}

describe('svc-userauth /metrics (USERAUTH_METRICS_PORT)', () => {
  const stops: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it('serves request durations by route template, database latency and readiness on its own port only', async () => {
    const metricsPort = await freePort();
    const svc = await startUserauth({ USERAUTH_METRICS_PORT: String(metricsPort) });
    stops.push(() => svc.stop());
    const created = await fetch(`${svc.url}/create-user`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ username: 'metrics', password: 'metrics password' }),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${svc.url}/find/metrics`, { headers: json })).status).toBe(200);
    expect((await fetch(`${svc.url}/find/nobody`, { headers: json })).status).toBe(404);

    const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const count = 'http_request_duration_seconds_count';
    expect(sample(text, count, { route: '/find/:username', status: '200', method: 'GET' })).toBe(1);
    expect(sample(text, count, { route: '/find/:username', status: '404' })).toBe(1);
    expect(sample(text, count, { route: '/create-user', status: '201' })).toBe(1);
    expect(sample(text, 'db_query_duration_seconds_count', { operation: 'SELECT' })).toBeGreaterThan(0);
    expect(sample(text, 'userauth_dependency_up', { dependency: 'database' })).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="userauth"\} /m);
    // The API port has no /metrics, and the metrics port serves nothing else.
    expect((await fetch(`${svc.url}/metrics`, { headers: json })).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(404);
  });

  it('is off without the setting, and refuses a bad port with one line naming it', async () => {
    const svc = await startUserauth();
    stops.push(() => svc.stop());
    expect((await fetch(`${svc.url}/healthz`)).status).toBe(200);
    await expect(startUserauth({ USERAUTH_METRICS_PORT: 'nine' })).rejects.toThrow(/USERAUTH_METRICS_PORT/);
  });
});
