import { loadavg } from 'node:os';
import type { Scenario } from '../cli.js';
import type { BenchContext } from '../context.js';
import { type HttpResult, loadGet, loadLogin } from '../http-load.js';
import { log } from '../log.js';
import type { BenchProcess } from '../process.js';
import type { HttpComparison, HttpRound } from '../results.js';
import { formValue, logIn } from '../session.js';
import { ratio } from '../stats.js';

async function expectPage(base: string, path: string, cookie: string, marker: string): Promise<void> {
  const res = await fetch(base + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const html = await res.text();
  if (res.status !== 200 || !html.includes(marker)) {
    throw new Error(`${base}${path} answered ${res.status} without "${marker}": ${html.slice(0, 300)}`);
  }
}

/** Home page 1 (logged in), note view and login POST: baseline first, then the app, same settings. */
export async function measureHttp(ctx: BenchContext): Promise<void> {
  const { options: o } = ctx;
  const user = await logIn(ctx.notes.url, ctx.username, ctx.password);
  const cookie = user.jar.header();
  const viewPath = `/notes/view?key=${encodeURIComponent(ctx.noteKey)}`;
  // A word of one seeded note: the newest one's number (seed.ts); the search phase measures common words.
  const newest = String(ctx.results.seed.notes);
  const SEARCH_PATH = `/search?q=${newest}`;
  for (const [base, c] of [
    [ctx.baseline.url, ''],
    [ctx.raw.url, ''],
    [ctx.notes.url, cookie],
    ...(ctx.notesB ? [[ctx.notesB.url, cookie] as const] : []),
  ] as const) {
    await expectPage(base, '/', c, 'notetitles');
    await expectPage(base, viewPath, c, 'notebody');
    // The app marks the matches in the title; a result is a `[data-key]` in #search-results.
    await expectPage(base, SEARCH_PATH, c, c ? 'data-key=' : `Note ${newest}:`);
  }
  const home = await fetch(ctx.notes.url, { headers: { cookie } }).then((r) => r.text());
  if (!home.includes('/users/logout')) throw new Error('the home page does not show the user as logged in');

  const get = (p: BenchProcess, path: string, headers: Record<string, string>) =>
    loadGet({
      url: p.url,
      pid: p.pid,
      path,
      headers,
      connections: o.connections,
      duration: o.duration,
      warmup: o.warmup,
    });
  const login = (p: BenchProcess) =>
    loadLogin({
      url: p.url,
      pid: p.pid,
      // bcrypt keeps a core busy per check; more connections only queue.
      connections: Math.min(o.connections, 4),
      duration: o.duration,
      username: ctx.username,
      password: ctx.password,
      tokenField: '_csrf',
      tokenFrom: (html) => formValue(html, '_csrf'),
    });
  /** Each scenario: how a baseline is loaded, how the app is (the same for notes-b). */
  const scenarios: [Scenario, string, (b: BenchProcess) => Promise<HttpResult>, Load][] = [
    ['home', 'home page 1 (logged in)', (b) => get(b, '/', {}), (p) => get(p, '/', { cookie })],
    ['home-anon', 'home page 1 (anonymous, no session)', (b) => get(b, '/', {}), (p) => get(p, '/', {})],
    ['view', 'note view (20 comments)', (b) => get(b, viewPath, {}), (p) => get(p, viewPath, { cookie })],
    [
      'search',
      'search, a word of one note (Express and raw: LIKE)',
      (b) => get(b, SEARCH_PATH, {}),
      (p) => get(p, SEARCH_PATH, { cookie }),
    ],
    ['login', 'login POST', login, login],
  ];
  for (const [id, scenario, base, app] of scenarios) {
    if (!o.scenarios.has(id)) continue;
    ctx.results.http.push(
      await compare(ctx, id, scenario, {
        baseline: () => base(ctx.baseline),
        raw: () => base(ctx.raw),
        app: () => app(ctx.notes),
        ...(ctx.notesB ? { appB: () => app(ctx.notesB!) } : {}),
      }),
    );
  }
}

type Load = (p: BenchProcess) => Promise<HttpResult>;
type Side = 'baseline' | 'raw' | 'app' | 'appB';

const median = (values: number[]) => {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Rounds of every side in turn (the order turns each round, so no side always follows the same
 * one); CPU ratios are medians over rounds of the ratio within the round, which cancels most of
 * what other work on the machine adds to both sides of one round.
 */
async function compare(
  ctx: BenchContext,
  id: Scenario,
  scenario: string,
  sides: Partial<Record<Side, () => Promise<HttpResult>>> &
    Record<'baseline' | 'raw' | 'app', () => Promise<HttpResult>>,
): Promise<HttpComparison> {
  const names = (Object.keys(sides) as Side[]).filter((s) => sides[s]);
  const rounds: HttpRound[] = [];
  for (let round = 1; round <= ctx.options.rounds; round++) {
    const order = names.map((_, i) => names[(i + round - 1) % names.length]!);
    const got: Partial<Record<Side, HttpResult>> = {};
    for (const side of order) got[side] = await sides[side]!();
    const r = { ...got, load: loadavg()[0]! } as HttpRound;
    log(
      `http: ${scenario}, round ${round} (load ${r.load.toFixed(1)}): ` +
        names
          .map((n) => `${n} ${r[n]!.reqPerSec.toFixed(0)} req/s ${r[n]!.cpuMsPerRequest.toFixed(3)} ms CPU`)
          .join(', '),
    );
    rounds.push(r);
  }
  const best = (side: Side) =>
    rounds.map((r) => r[side]!).reduce((x, y) => (y.reqPerSec > x.reqPerSec ? y : x));
  const cpuRatio = (num: Side, den: Side) =>
    median(rounds.map((r) => ratio(r[num]!.cpuMsPerRequest, r[den]!.cpuMsPerRequest)));
  const b = best('baseline');
  const a = best('app');
  return {
    id,
    scenario,
    baseline: b,
    raw: best('raw'),
    app: a,
    ...(sides.appB ? { appB: best('appB'), cpuRatioB: cpuRatio('app', 'appB') } : {}),
    rounds,
    ratio: ratio(a.reqPerSec, b.reqPerSec),
    cpuRatio: cpuRatio('baseline', 'app'),
    cpuRatioRaw: cpuRatio('raw', 'app'),
  };
}
