import type { Results } from './results.js';

const n0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
const n1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '–');

/** The lowest CPU time per request over the rounds (interference only ever adds). */
const cpu = (results: { cpuMsPerRequest: number }[]) =>
  n3(Math.min(...results.map((r) => r.cpuMsPerRequest)));
const n3 = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : '–');

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** The Markdown report of one run: every measurement, then the targets. */
export function renderMarkdown(r: Results): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# pnpm bench — ${r.startedAt}`);
  out.push('');
  out.push(
    `${m.cpus} × ${m.cpuModel}, ${m.memoryMB} MB, Node ${m.node}, open files limit ${m.fdLimit}. ` +
      `Seeded ${r.seed.notes.toLocaleString('en')} notes and ${r.seed.comments.toLocaleString('en')} comments ` +
      `in ${(r.seed.ms / 1000).toFixed(1)} s. bcrypt cost ${r.bcryptCost}. Options: \`${JSON.stringify(r.options)}\`.`,
  );
  if (r.http.length > 0) {
    const ab = r.http.some((h) => h.appB);
    out.push(
      '',
      '## HTTP (autocannon, closed loop; Express = bare Express + mysql2 + hbs, raw = the same pages on node:http)',
      '',
      'CPU ratios are the median over the rounds of the ratio within a round (sides take turns; the load is the 1-minute load average after each round).',
      '',
    );
    const pct = (n: number | undefined) => (n === undefined ? '–' : `${(n * 100).toFixed(0)}%`);
    out.push(
      table(
        [
          'scenario',
          'req/s Express / raw / app',
          'app p50 / p99 ms',
          'server CPU ms/req Express / raw / app',
          'app/Express by CPU',
          'app/raw by CPU',
          ...(ab ? ['app B CPU ms/req', 'B vs A by CPU (A/B)'] : []),
          'load per round',
          'app failures',
        ],
        r.http.map((h) => {
          const login = h.id === 'login';
          return [
            h.scenario,
            `${n0(h.baseline.reqPerSec)} / ${n0(h.raw.reqPerSec)} / ${n0(h.app.reqPerSec)}`,
            `${n0(h.app.p50)} / ${n0(h.app.p99)}`,
            `${cpu(h.rounds.map((x) => x.baseline))} / ${cpu(h.rounds.map((x) => x.raw))} / ${cpu(h.rounds.map((x) => x.app))}`,
            login ? '– (bcrypt runs in svc-userauth)' : pct(h.cpuRatio),
            login ? '–' : pct(h.cpuRatioRaw),
            ...(ab
              ? [
                  h.appB ? cpu(h.rounds.map((x) => x.appB ?? { cpuMsPerRequest: Number.NaN })) : '–',
                  h.cpuRatioB === undefined
                    ? '–'
                    : `${h.cpuRatioB.toFixed(2)}× (${h.rounds.map((x) => (x.appB ? (x.app.cpuMsPerRequest / x.appB.cpuMsPerRequest).toFixed(2) : '–')).join(', ')})`,
                ]
              : []),
            h.rounds.map((x) => x.load.toFixed(1)).join(', '),
            String(h.app.failures),
          ];
        }),
      ),
    );
  }
  if (r.fanout.length > 0) {
    out.push('', '## Live fan-out (one edit → every socket has `noteupdated`; ms from sending the save)', '');
    out.push(
      table(
        [
          'setup',
          'edits',
          'all delivered p50 / p90 / p99 / max',
          'per delivery p50 / p99',
          'save request p50',
        ],
        r.fanout.map((f) => [
          f.setup,
          String(f.allDelivered.count),
          `${n0(f.allDelivered.p50)} / ${n0(f.allDelivered.p90)} / ${n0(f.allDelivered.p99)} / ${n0(f.allDelivered.max)}`,
          `${n0(f.deliveries.p50)} / ${n0(f.deliveries.p99)}`,
          n0(f.saves.p50),
        ]),
      ),
    );
  }
  if (r.memory || r.coldStart.length > 0) {
    out.push('', '## Memory and cold start', '');
    const rows: string[][] = [];
    if (r.memory) {
      rows.push([
        `RSS of svc-notes with ${r.memory.sockets} idle sockets`,
        `${n1(r.memory.rssBeforeMB)} → ${n1(r.memory.rssAfterMB)} MB = ${n1(r.memory.perThousandMB)} MB per 1,000`,
      ]);
    }
    for (const c of r.coldStart) {
      rows.push([
        `cold start to ready: ${c.service}`,
        `median ${n0(c.medianMs)} ms, max ${n0(c.maxMs)} ms (${c.runsMs.map(n0).join(', ')})`,
      ]);
    }
    out.push(table(['what', 'measured'], rows));
  }
  if (r.sharing) {
    const sh = r.sharing;
    out.push(
      '',
      `## Home page 1 with ${sh.notes.toLocaleString('en')} notes of mixed visibility and ${sh.grants.toLocaleString('en')} grants vs every note public (CPU ms per request, lowest round)`,
      '',
    );
    out.push(
      table(
        ['all public (today)', 'mixed + grants', 'ratio'],
        [[n3(sh.todayCpuMs), n3(sh.mixedCpuMs), `${sh.cpuRatio.toFixed(2)}×`]],
      ),
    );
  }
  if (r.history) {
    const h = r.history;
    const d = (v: { p50: number; p90: number; p99: number; max: number }) => [
      n3(v.p50),
      n3(v.p90),
      n3(v.p99),
      n3(v.max),
    ];
    out.push(
      '',
      `## History: a note with ${h.revisions.toLocaleString('en')} revisions of ${h.revisionChars.toLocaleString('en')} characters (sequential requests on one connection, ms)`,
      '',
    );
    out.push(
      table(
        ['page', 'p50', 'p90', 'p99', 'max'],
        [
          ['/notes/history (page 1)', ...d(h.historyPage)],
          ['/notes/revision: diff to the revision before', ...d(h.diff)],
          ['/notes/revision: first vs last (compare)', ...d(h.compareFirstLast)],
        ],
      ),
    );
    out.push(
      '',
      `Saving a ${h.saveChars.toLocaleString('en')}-character note through NoteService, ms (same database, same process, the three taking turns save by save):`,
      '',
    );
    out.push(
      table(
        ['save', 'p50', 'p90', 'p99', 'max', 'p50 ratio'],
        [
          ['without history', ...d(h.saveWithout), '1.00×'],
          ['with history, a revision per save', ...d(h.saveWith), `${h.saveRatio.toFixed(2)}×`],
          ['with history, folded saves', ...d(h.saveFolded), `${h.foldedRatio.toFixed(2)}×`],
        ],
      ),
    );
  }
  if (r.search.length > 0) {
    out.push(
      '',
      '## Search (in-process SearchService: index query + read policy + count + snippets) vs LIKE scan, ms',
      '',
    );
    const rows: string[][] = [];
    for (const size of r.search)
      for (const k of size.kinds)
        rows.push([
          size.notes.toLocaleString('en'),
          k.kind,
          k.query,
          String(k.matches),
          n3(k.search.p50),
          n3(k.search.p99),
          n3(k.like.p50),
          n3(k.like.p99),
          `${(k.like.p50 / k.search.p50).toFixed(1)}×`,
        ]);
    out.push(
      table(
        [
          'notes',
          'query',
          'e.g.',
          'matches',
          'search p50',
          'search p99',
          'LIKE p50',
          'LIKE p99',
          'LIKE/search',
        ],
        rows,
      ),
    );
    out.push(
      '',
      r.search
        .map(
          (s) =>
            `${s.notes.toLocaleString('en')} notes: seeded ${(s.seedMs / 1000).toFixed(1)} s, index rebuilt in ${(s.rebuildMs / 1000).toFixed(1)} s`,
        )
        .join('; '),
    );
  }
  if (r.collab) {
    const c = r.collab;
    out.push(
      '',
      `## Editing together: ${c.editors} editors on one ${Math.round(c.noteChars / 1000)} kB note over 2 replicas, ${c.charsPerSecond} characters a second each for ${c.seconds} s`,
      '',
    );
    out.push(
      table(
        ['measure', 'value'],
        [
          [
            'keystrokes typed / deliveries to other editors (expected)',
            `${c.keystrokes} / ${c.deliveries} (${c.expectedDeliveries})`,
          ],
          [
            'keystroke to every other editor, p50 / p90 / p99 / max (ms)',
            `${n3(c.latency.p50)} / ${n3(c.latency.p90)} / ${n3(c.latency.p99)} / ${n3(c.latency.max)}`,
          ],
          ['updates stored (acknowledged)', String(c.storedUpdates)],
          ['server CPU per stored update (both replicas, ms)', n3(c.cpuMsPerUpdate)],
          ...(c.editorsCpuShare === undefined
            ? []
            : [
                [
                  "the editors' own process, CPU share of one core",
                  `${Math.round(c.editorsCpuShare * 100)}%`,
                ],
              ]),
          [
            'update log rows: most during typing / after compaction',
            `${c.logRowsMax} / ${c.logRowsAfterCompaction}`,
          ],
          ['all editors converged / stored body equals their text', `${c.converged} / ${c.bodyMatches}`],
          [
            'memory per loaded 100 kB note: Y.Doc heap after GC / replica RSS growth (MB)',
            `${n3(c.memoryPerNoteMB)} / ${n3(c.rssPerNoteMB)}`,
          ],
        ],
      ),
    );
  }
  if (r.scale.length > 0) {
    out.push(
      '',
      '## Home page 1 time vs number of notes (sequential requests on one connection; median of each round, rounds alternate)',
      '',
    );
    out.push(
      table(
        ['notes', 'app median ms (min–max of rounds)', 'baseline median ms (min–max of rounds)'],
        r.scale.map((s) => [
          s.notes.toLocaleString('en'),
          `${n3(s.app.p50)} (${n3(s.app.min)}–${n3(s.app.max)})`,
          `${n3(s.baseline.p50)} (${n3(s.baseline.min)}–${n3(s.baseline.max)})`,
        ]),
      ),
    );
  }
  if (r.targets.length > 0) {
    out.push('', '## Targets', '');
    out.push(
      table(
        ['target', 'goal', 'measured', 'met'],
        r.targets.map((t) => [t.what, t.target, t.value, t.met ? 'yes' : '**no**']),
      ),
    );
  }
  if (r.load.length > 0) {
    out.push(
      '',
      `Machine load (1-min load average at start → end of each phase, ${m.cpus} cores): ` +
        r.load.map((l) => `${l.phase} ${l.start.toFixed(1)} → ${l.end.toFixed(1)}`).join(', ') +
        '. Other work on the machine slows both sides; HTTP rounds take turns between the sides, and CPU ratios are medians of per-round ratios.',
    );
  }
  if (r.errors.length > 0) {
    out.push('', '## Errors', '', ...r.errors.map((e) => `- ${e.split('\n')[0]}`));
  }
  return `${out.join('\n')}\n`;
}
