import type { Scenario } from '../cli.js';
import type { BenchContext } from '../context.js';
import { type HttpResult, loadGet, loadLogin } from '../http-load.js';
import { log } from '../log.js';
import type { BenchProcess } from '../process.js';
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
  for (const [base, c] of [
    [ctx.baseline.url, ''],
    [ctx.notes.url, cookie],
  ] as const) {
    await expectPage(base, '/', c, 'notetitles');
    await expectPage(base, viewPath, c, 'notebody');
  }
  const home = await fetch(ctx.notes.url, { headers: { cookie } }).then((r) => r.text());
  if (!home.includes('/users/logout')) throw new Error('the home page does not show the user as logged in');

  const get = (p: BenchProcess, path: string, headers: Record<string, string>) =>
    loadGet({ url: p.url, pid: p.pid, path, headers, connections: o.connections, duration: o.duration });
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
  const scenarios: [Scenario, string, () => Promise<HttpResult>, () => Promise<HttpResult>][] = [
    [
      'home',
      'home page 1 (logged in)',
      () => get(ctx.baseline, '/', {}),
      () => get(ctx.notes, '/', { cookie }),
    ],
    [
      'home-anon',
      'home page 1 (anonymous, no session)',
      () => get(ctx.baseline, '/', {}),
      () => get(ctx.notes, '/', {}),
    ],
    [
      'view',
      'note view (20 comments)',
      () => get(ctx.baseline, viewPath, {}),
      () => get(ctx.notes, viewPath, { cookie }),
    ],
    ['login', 'login POST', () => login(ctx.baseline), () => login(ctx.notes)],
  ];
  const best = (results: HttpResult[]) => results.reduce((x, y) => (y.reqPerSec > x.reqPerSec ? y : x));
  for (const [id, scenario, baseline, app] of scenarios) {
    if (!o.scenarios.has(id)) continue;
    const rounds: { baseline: HttpResult; app: HttpResult }[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      const b = await baseline();
      const a = await app();
      log(
        `http: ${scenario}, round ${round}: app ${a.reqPerSec.toFixed(0)} vs baseline ${b.reqPerSec.toFixed(0)} req/s, ` +
          `CPU ${a.cpuMsPerRequest.toFixed(3)} vs ${b.cpuMsPerRequest.toFixed(3)} ms/request`,
      );
      rounds.push({ baseline: b, app: a });
    }
    const b = best(rounds.map((r) => r.baseline));
    const a = best(rounds.map((r) => r.app));
    ctx.results.http.push({
      id,
      scenario,
      baseline: b,
      app: a,
      rounds,
      ratio: ratio(a.reqPerSec, b.reqPerSec),
      cpuRatio: ratio(
        Math.min(...rounds.map((r) => r.baseline.cpuMsPerRequest)),
        Math.min(...rounds.map((r) => r.app.cpuMsPerRequest)),
      ),
    });
  }
}
