import { migrateUp, openDatabase } from '@notes/kit';
import {
  defineNoteModel,
  generateNoteKey,
  migrations,
  SearchIndex,
  SearchRepository,
  SearchService,
} from '@notes/notes/testing/internals';
import type { BenchContext } from '../context.js';
import { createDatabase } from '../databases.js';
import { log } from '../log.js';
import { distribution, ratio } from '../stats.js';

/** Words of ordinary notes, most common first (a Zipf-like pick makes the first ones very common). */
const ENGLISH =
  'the meeting project notes team plan update review design release customer budget report schedule deadline feature issue question idea draft summary agenda action follow decision risk priority status launch research'.split(
    ' ',
  );
const CJK_WORDS = [
  '会议',
  '项目',
  '计划',
  '报告',
  '東京',
  '会議',
  '資料',
  '予定',
  '確認',
  '検討',
  '设计',
  '客户',
];
const CJK_GLUE = ['的', 'は', 'を', 'に', 'と', '了', 'で', 'が'];
/** Share of notes written mostly in Chinese or Japanese. */
const CJK_SHARE = 0.3;
/** One note in RARE_EVERY carries a word of its own. */
const RARE_EVERY = 1000;
const BATCH = 1000;
const QUERIES_PER_KIND = 40;
/** A kind stops early after this long (at least MIN_QUERIES), so that a slow kind cannot stall the run. */
const KIND_BUDGET_MS = 45_000;
const MIN_QUERIES = 5;

/** A deterministic generator, so that two runs search the same text. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function zipf<T>(items: readonly T[], rnd: () => number): T {
  return items[Math.floor(items.length * rnd() ** 2.5)] as T;
}

function noteText(i: number, rnd: () => number): { title: string; body: string } {
  const rare = i % RARE_EVERY === 0 ? ` zqrare${i / RARE_EVERY}` : '';
  if (rnd() < CJK_SHARE) {
    const parts: string[] = [];
    for (let w = 0; w < 40; w++) parts.push(zipf(CJK_WORDS, rnd), zipf(CJK_GLUE, rnd));
    return {
      title: `${zipf(CJK_WORDS, rnd)}${zipf(CJK_WORDS, rnd)} ${i}`,
      body: `${parts.join('')}。${rare}`,
    };
  }
  const words: string[] = [];
  for (let w = 0; w < 70; w++) words.push(zipf(ENGLISH, rnd));
  return { title: `${zipf(ENGLISH, rnd)} ${zipf(ENGLISH, rnd)} ${i}`, body: `${words.join(' ')}.${rare}` };
}

export interface SearchKindResult {
  kind: string;
  query: string;
  search: { p50: number; p99: number };
  like: { p50: number; p99: number };
  /** Average number of matches of the kind's queries. */
  matches: number;
}

export interface SearchSize {
  notes: number;
  seedMs: number;
  rebuildMs: number;
  kinds: SearchKindResult[];
}

async function measureSize(ctx: BenchContext, notes: number): Promise<SearchSize> {
  const url = await createDatabase(ctx.mysqlAdminUrl, `bench_search_${notes}`);
  const db = openDatabase({ url, poolMax: 4 });
  try {
    await migrateUp(db, migrations);
    const Note = defineNoteModel(db);
    const rnd = random(42);
    const seedStart = performance.now();
    const end = Date.now() - 86_400_000;
    for (let start = 0; start < notes; start += BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(notes, start + BATCH); i++) {
        const at = new Date(end - (notes - i) * 60_000);
        rows.push({
          key: generateNoteKey(),
          ...noteText(i, rnd),
          owner: ctx.username,
          visibility: 'public',
          version: 1,
          createdAt: at,
          updatedAt: at,
        });
      }
      await Note.bulkCreate(rows, { validate: false });
    }
    const seedMs = performance.now() - seedStart;
    const rebuildStart = performance.now();
    // The operators' rebuild (pnpm search-rebuild) fills the index of the bulk-inserted notes.
    await new SearchIndex(db).rebuild(() => {}, { skipTrashed: true });
    const rebuildMs = performance.now() - rebuildStart;
    log(
      `search: ${notes} notes seeded in ${(seedMs / 1000).toFixed(1)} s, indexed in ${(rebuildMs / 1000).toFixed(1)} s`,
    );

    const service = new SearchService(new SearchRepository(db), ctx.pageSize);
    const visitor = { username: ctx.username };
    const rares = Array.from({ length: Math.floor(notes / RARE_EVERY) }, (_, i) => `zqrare${i}`);
    const kinds: Array<{ kind: string; queries: string[]; like: string[] }> = [
      {
        kind: 'common word',
        queries: ['meeting', 'project', 'notes', 'team'],
        like: ['meeting', 'project', 'notes', 'team'],
      },
      { kind: 'rare word', queries: rares, like: rares },
      { kind: 'CJK word', queries: ['会议', '東京', '資料', '设计'], like: ['会议', '東京', '資料', '设计'] },
      {
        kind: 'prefix',
        queries: ['meet*', 'proj*', 'sched*', 'dead*'],
        like: ['meet', 'proj', 'sched', 'dead'],
      },
    ];
    const results: SearchKindResult[] = [];
    for (const { kind, queries, like } of kinds) {
      const searchMs: number[] = [];
      const likeMs: number[] = [];
      let matches = 0;
      const kindStart = performance.now();
      for (let n = 0; n < QUERIES_PER_KIND; n++) {
        if (n >= MIN_QUERIES && performance.now() - kindStart > KIND_BUDGET_MS) break;
        const q = queries[n % queries.length] ?? '';
        const t0 = performance.now();
        const outcome = await service.search(q, {}, 1, visitor);
        searchMs.push(performance.now() - t0);
        if (outcome.kind === 'results') matches += outcome.total;
        // The baseline: the same page (20 newest matches and their count) with LIKE '%…%'.
        const pattern = `%${like[n % like.length] ?? ''}%`;
        const t1 = performance.now();
        await db.query(
          'SELECT `key`, title, body, COUNT(*) OVER () AS total FROM notes WHERE visibility = ? AND (title LIKE ? OR body LIKE ?) ORDER BY updatedAt DESC, id DESC LIMIT ?',
          { replacements: ['public', pattern, pattern, ctx.pageSize] },
        );
        likeMs.push(performance.now() - t1);
      }
      const s = distribution(searchMs);
      const l = distribution(likeMs);
      results.push({
        kind,
        query: queries.slice(0, 2).join(', '),
        search: { p50: s.p50, p99: s.p99 },
        like: { p50: l.p50, p99: l.p99 },
        matches: Math.round(matches / searchMs.length),
      });
      log(
        `search: ${notes} notes, ${kind} (${searchMs.length} queries): p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms; LIKE p50 ${l.p50.toFixed(1)} ms (${ratio(l.p50, s.p50).toFixed(1)}×)`,
      );
    }
    return { notes, seedMs, rebuildMs, kinds: results };
  } finally {
    await db.close();
  }
}

/**
 * Full-text search (SearchService: the index query with the read policy, ranking, count and
 * snippets) at --search-notes sizes of mixed English/CJK notes, against a LIKE '%…%' scan of the
 * same page in the same run: p50/p99 per kind of query (common, rare, CJK, prefix).
 */
export async function measureSearch(ctx: BenchContext): Promise<void> {
  for (const notes of ctx.options.searchNotes) ctx.results.search.push(await measureSize(ctx, notes));
}
