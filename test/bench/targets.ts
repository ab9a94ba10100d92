import type { Results, Target } from './results.js';
import { ratio } from './stats.js';

const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
const x = (n: number) => `${n.toFixed(2)}×`;

/** The targets, each checked against what was measured (missing measurements are skipped). */
export function evaluateTargets(r: Results): Target[] {
  const targets: Target[] = [];
  // Issue 13: CPU per request of the app as a share of the Express baseline's (median of the
  // per-round ratios), and p99 within 3× p50 under the run's connections.
  const cpuGoals: Partial<Record<string, number>> = { home: 0.7, 'home-anon': 0.8, view: 0.7 };
  for (const h of r.http) {
    const goal = cpuGoals[h.id];
    if (goal === undefined) continue;
    targets.push({
      what: `${h.scenario}: CPU per request, Express baseline vs app`,
      target: `≥ ${pct(goal)}`,
      value: `${pct(h.cpuRatio)} (raw limit vs app ${pct(h.cpuRatioRaw)})`,
      met: h.cpuRatio >= goal,
    });
    const tail = ratio(h.app.p99, h.app.p50);
    targets.push({
      what: `${h.scenario}: app p99 vs p50`,
      target: '≤ 3×',
      value: `${x(tail)} (${h.app.p99} vs ${h.app.p50} ms)`,
      met: tail <= 3,
    });
  }
  const one = r.fanout.find((f) => f.replicas === 1);
  const two = r.fanout.find((f) => f.replicas === 2);
  if (one && two) {
    const q = ratio(two.allDelivered.p99, one.allDelivered.p99);
    targets.push({
      what: 'fan-out p99, two replicas vs one',
      target: '≤ 1.5×',
      value: `${x(q)} (${two.allDelivered.p99.toFixed(0)} vs ${one.allDelivered.p99.toFixed(0)} ms)`,
      met: q <= 1.5,
    });
  }
  if (r.memory) {
    targets.push({
      what: 'RSS per 1,000 idle sockets',
      target: '≤ 20 MB',
      value: `${r.memory.perThousandMB.toFixed(1)} MB`,
      met: r.memory.perThousandMB <= 20,
    });
  }
  for (const c of r.coldStart) {
    targets.push({
      what: `cold start to ready: ${c.service}`,
      target: '≤ 1 s',
      value: `${(c.maxMs / 1000).toFixed(2)} s (max of ${c.runsMs.length})`,
      met: c.maxMs <= 1000,
    });
  }
  if (r.scale.length === 2) {
    const [small, big] = r.scale as [Results['scale'][0], Results['scale'][0]];
    const q = ratio(big.app.p50, small.app.p50);
    targets.push({
      what: `home page 1 time at ${big.notes.toLocaleString('en')} vs ${small.notes.toLocaleString('en')} notes`,
      target: '≤ 1.2×',
      value: `${x(q)} (median ${big.app.p50.toFixed(3)} vs ${small.app.p50.toFixed(3)} ms)`,
      met: q <= 1.2,
    });
  }
  if (r.sharing) {
    const s = r.sharing;
    targets.push({
      what: `home page 1 CPU per request, ${s.notes.toLocaleString('en')} notes of mixed visibility + ${s.grants.toLocaleString('en')} grants vs all public`,
      target: '≤ 1.2×',
      value: `${x(s.cpuRatio)} (${s.mixedCpuMs.toFixed(3)} vs ${s.todayCpuMs.toFixed(3)} ms)`,
      met: s.cpuRatio <= 1.2,
    });
  }
  if (r.collab) {
    const c = r.collab;
    targets.push({
      what: `editing together: keystroke to every other editor, ${c.editors} editors on 2 replicas, p99`,
      target: '≤ 150 ms',
      value: `${c.latency.p99.toFixed(1)} ms`,
      met: c.latency.p99 <= 150,
    });
    targets.push({
      what: 'editing together: memory per loaded 100 kB note',
      target: '≤ 1 MB',
      value: `${c.memoryPerNoteMB.toFixed(2)} MB`,
      met: c.memoryPerNoteMB <= 1,
    });
    targets.push({
      what: 'editing together: every keystroke delivered, all converged, log compacted into the body',
      target: 'yes',
      value: `${c.deliveries}/${c.expectedDeliveries}, ${c.converged}, ${c.logRowsAfterCompaction} rows left, ${c.bodyMatches}`,
      met:
        c.deliveries >= c.expectedDeliveries &&
        c.converged &&
        c.logRowsAfterCompaction === 0 &&
        c.bodyMatches,
    });
  }
  if (r.history) {
    const h = r.history;
    for (const [what, d] of [
      [`history page of a note with ${h.revisions.toLocaleString('en')} revisions`, h.historyPage],
      [`diff of two ${Math.round(h.revisionChars / 1000)} kB revisions`, h.diff],
    ] as const) {
      targets.push({
        what: `${what}, p99`,
        target: '< 50 ms',
        value: `${d.p99.toFixed(2)} ms`,
        met: d.p99 < 50,
      });
    }
    targets.push({
      what: `save with history (a revision per save) vs without, ${Math.round(h.saveChars / 1000)} kB note`,
      target: '≤ 1.3×',
      value: `${x(h.saveRatio)} (median ${h.saveWith.p50.toFixed(2)} vs ${h.saveWithout.p50.toFixed(2)} ms)`,
      met: h.saveRatio <= 1.3,
    });
  }
  const small = r.search[0];
  const large = r.search.at(-1);
  if (large) {
    const common = large.kinds.find((k) => k.kind === 'common word');
    if (common)
      targets.push({
        what: `search p99, common word, ${large.notes.toLocaleString('en')} notes`,
        target: '≤ 50 ms',
        value: `${common.search.p99.toFixed(1)} ms`,
        met: common.search.p99 <= 50,
      });
    const worst = Math.min(...large.kinds.map((k) => k.like.p50 / k.search.p50));
    targets.push({
      what: `search vs LIKE '%…%' at ${large.notes.toLocaleString('en')} notes (slowest kind)`,
      target: '≥ 20× faster',
      value: x(worst),
      met: worst >= 20,
    });
    if (small && small !== large) {
      const growth = Math.max(
        ...large.kinds.map(
          (k) => k.search.p50 / (small.kinds.find((s) => s.kind === k.kind)?.search.p50 ?? Number.NaN),
        ),
      );
      targets.push({
        what: `search time at ${large.notes.toLocaleString('en')} vs ${small.notes.toLocaleString('en')} notes (p50, worst kind)`,
        target: '≤ 2×',
        value: x(growth),
        met: growth <= 2,
      });
    }
  }
  return targets;
}
