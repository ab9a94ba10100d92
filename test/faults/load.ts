import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { csrfFrom, WebClient } from '@notes/notes/testing';
import { REPO_ROOT } from '@notes/testkit';

/**
 * svc-notes settings for the load: one user saving several notes a second is the load here, not
 * abuse, so the per-user write limit (NOTES_WRITE_LIMIT_*) must not be what answers.
 */
export const LOAD_ENV = {
  NOTES_WRITE_LIMIT_PER_SECOND: '10000',
  NOTES_WRITE_LIMIT_BURST: '100000',
  // Public notes: anonymous sockets and readers take part here (who may read what: the sharing matrix).
  NOTES_DEFAULT_VISIBILITY: 'public',
};

/** One request of the steady load: what it was, how it ended, how long it took. */
export interface Outcome {
  kind: 'read' | 'write';
  /** HTTP status, or 0 when no answer came (connection refused/reset, or the 10 s client timeout). */
  status: number;
  ms: number;
  /** A read answered 200 without the signed-in user in the header: the session was lost. */
  sessionLost?: boolean;
}

export interface Load {
  outcomes: Outcome[];
  /** Keys of the notes whose save was acknowledged (302). */
  acknowledged: string[];
  /** Stops the workers and waits for their last requests. */
  stop: () => Promise<void>;
}

/**
 * Steady load on svc-notes replicas from one signed-in session: `workers` loops, each sending one
 * request after the other, round-robin over `bases`, three note views to one new note saved.
 * Bounded: every request times out after 10 s and the loops end at stop() or after maxRequests.
 */
export async function startLoad(options: {
  bases: string[];
  cookie: string;
  username: string;
  readKey: string;
  workers?: number;
  maxRequests?: number;
  pauseMs?: number;
}): Promise<Load> {
  const outcomes: Outcome[] = [];
  const acknowledged: string[] = [];
  const maxRequests = options.maxRequests ?? 50_000;
  let stopping = false;
  let count = 0;
  const signedIn = `>${options.username}</span>`;
  // The form token is the same for every request of the session: take it once.
  const first = new WebClient(options.bases[0]!);
  first.setCookie('notes.sid', options.cookie);
  const token = csrfFrom((await first.get('/notes/add')).text, '/notes/save');

  const worker = async (w: number) => {
    const clients = options.bases.map((base) => {
      const c = new WebClient(base);
      c.setCookie('notes.sid', options.cookie);
      return c;
    });
    for (let i = 0; !stopping && count < maxRequests; i++) {
      count++;
      const client = clients[i % clients.length]!;
      const write = i % 4 === 3;
      const started = performance.now();
      const key = `w${w}-${i}`;
      let status = 0;
      let text = '';
      try {
        const init: RequestInit = { signal: AbortSignal.timeout(10_000) };
        const answer = write
          ? await client.request('/notes/save', {
              ...init,
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                _csrf: token,
                docreate: 'create',
                notekey: key,
                title: `load ${key}`,
                body: `saved under load ${key}`,
              }).toString(),
            })
          : await client.request(`/notes/view?key=${options.readKey}`, init);
        status = answer.res.status;
        text = answer.text;
      } catch {
        status = 0;
      }
      const ms = performance.now() - started;
      const outcome: Outcome = { kind: write ? 'write' : 'read', status, ms };
      if (!write && status === 200 && !text.includes(signedIn)) outcome.sessionLost = true;
      outcomes.push(outcome);
      if (write && status === 302) acknowledged.push(key);
      // A failed request is tried again a little later, as a person or a balancer would.
      const pause = status >= 200 && status < 400 ? (options.pauseMs ?? 0) : 50;
      if (pause) await new Promise((r) => setTimeout(r, pause));
    }
  };
  const running = Array.from({ length: options.workers ?? 4 }, (_, w) => worker(w));
  return {
    outcomes,
    acknowledged,
    stop: async () => {
      stopping = true;
      await Promise.all(running);
    },
  };
}

/** The figures the fault tests report for one fault. */
export interface FaultFigures {
  fault: string;
  requestsTried: number;
  succeeded: number;
  failedByStatus: Record<string, number>;
  slowestFailureMs: number;
  sessionsLost: number;
  /** Per outage: from the store being back until every replica's /readyz said 200 again. */
  recoverMs: { max: number; median: number; each: number[] };
  writesAcknowledged: number;
  acknowledgedWritesLost: number;
  crashes: number;
  [extra: string]: unknown;
}

/** Counts the outcomes: a 2xx/3xx answer succeeded, anything else (and no answer, "0") failed. */
export function summarise(outcomes: Outcome[]) {
  const failedByStatus: Record<string, number> = {};
  let slowestFailureMs = 0;
  let succeeded = 0;
  for (const o of outcomes) {
    if (o.status >= 200 && o.status < 400 && !o.sessionLost) {
      succeeded++;
      continue;
    }
    const label = o.sessionLost ? 'session lost' : String(o.status);
    failedByStatus[label] = (failedByStatus[label] ?? 0) + 1;
    slowestFailureMs = Math.max(slowestFailureMs, o.ms);
  }
  return {
    requestsTried: outcomes.length,
    succeeded,
    failedByStatus,
    slowestFailureMs: Math.round(slowestFailureMs),
    sessionsLost: failedByStatus['session lost'] ?? 0,
  };
}

export function recoverFigures(each: number[]): FaultFigures['recoverMs'] {
  const sorted = [...each].sort((a, b) => a - b);
  return {
    max: sorted.at(-1) ?? 0,
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    each,
  };
}

/** Polls every base's /readyz until all answer 200; resolves with the ms it took. Bounded by timeoutMs. */
export async function untilReady(bases: string[], timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const answers = await Promise.all(
      bases.map((b) =>
        fetch(`${b}/readyz`, { signal: AbortSignal.timeout(3000) })
          .then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          })
          .catch(() => 0),
      ),
    );
    if (answers.every((s) => s === 200)) return Math.round(performance.now() - started);
    if (performance.now() - started > timeoutMs)
      throw new Error(`not ready after ${timeoutMs} ms: ${answers}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Times one /readyz answer: its status, body and ms. */
export async function readyzNow(base: string): Promise<{ status: number; body: unknown; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) });
  const body = await res.json();
  return { status: res.status, body, ms: Math.round(performance.now() - started) };
}

/** Writes the figures to test-results/faults-<name>.json and prints them. */
export async function record(name: string, figures: FaultFigures): Promise<void> {
  const dir = join(REPO_ROOT, 'test-results');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `faults-${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`fault figures (${name}): ${JSON.stringify(figures)}`);
}

/** Reads a whole-number setting of a fault test from the environment (bounded). */
export function setting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name} must be a number from ${min} to ${max}`);
  return value;
}
