import { Agent, request } from 'node:http';
import { type Distribution, distribution } from './stats.js';

/**
 * Times `count` GET requests one after another over one keep-alive connection (performance.now(),
 * sub-millisecond, unlike autocannon's whole milliseconds). Stops early after maxMs.
 */
export async function timeSequential(
  url: string,
  headers: Record<string, string>,
  count: number,
  maxMs: number,
): Promise<Distribution> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  const deadline = performance.now() + maxMs;
  try {
    for (let i = 0; i < count && performance.now() < deadline; i++) {
      const started = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { agent, headers, timeout: 10_000 }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end();
      });
      if (status !== 200) throw new Error(`GET ${url} answered ${status}`);
      times.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return distribution(times);
}
