import { migrateUp, openDatabase } from '@notes/kit';
import {
  defineCommentModel,
  defineGrantModel,
  defineNoteModel,
  generateNoteKey,
  migrations,
  previewOf,
  SearchIndex,
} from '@notes/notes/testing/internals';

export interface SeedPlan {
  dbUrl: string;
  /** Total notes wanted in the database after seeding (adds only the missing ones). */
  notes: number;
  owner: string;
  /** The newest `commentedNotes` notes get `commentsPerNote` comments each (first seeding only). */
  commentedNotes: number;
  commentsPerNote: number;
  /**
   * Mixed visibility (first seeding only): note i is private, team or public in turn and belongs to
   * `owners[i % owners.length]`; then `grants` private notes of the other owners are shared, half of
   * them with `owners[0]` (the benchmark user), the other half with the next owner.
   */
  mix?: { owners: string[]; grants: number };
  /** Fill the search index too (the operators' rebuild), for the search scenario. */
  searchIndex?: boolean;
}

export interface SeedResult {
  notes: number;
  grants: number;
  comments: number;
  /** Key of the newest note (it has comments when any were asked for). */
  newestKey: string;
  ms: number;
}

const BATCH = 1000;
const VISIBILITIES = ['private', 'team', 'public'] as const;
/** Seeded notes are one minute apart, ending a day before now, so new edits sort first. */
const STEP_MS = 60_000;

/**
 * The form tags of note i: two of a pool of 40 topics and 7 areas, so that tag pages and the
 * home page's tag cloud count real rows (200,000 of them at 100,000 notes).
 */
export function noteFormTags(i: number): string[] {
  return [`topic-${i % 40}`, `area-${i % 7}`];
}

export function noteBody(i: number): string {
  return [
    `## Note ${i}`,
    '',
    `Some **Markdown** for note ${i}: a [link](https://example.org/${i}), \`inline code\` and a list:`,
    '',
    '- first point of the note',
    '- second point, with _emphasis_',
    '- third point',
    '',
    '```',
    `const note = ${i};`,
    '```',
    '',
    'A closing paragraph long enough to look like a real note that somebody wrote on a working day.',
  ].join('\n');
}

/**
 * Seeds notes and comments through the app's own migrations and Sequelize models (bulk inserts of
 * 1000 rows). Note i is created at (now - 1 day - (total - i) minutes), so note `total` is the newest.
 */
export async function seedNotes(plan: SeedPlan): Promise<SeedResult> {
  const started = performance.now();
  const db = openDatabase({ url: plan.dbUrl, poolMax: 4 });
  try {
    await migrateUp(db, migrations);
    const Note = defineNoteModel(db);
    const Comment = defineCommentModel(db);
    const existing = await Note.count();
    const end = Date.now() - 86_400_000;
    // Existing notes keep their times; added ones are older, so page 1 stays what it was.
    const oldestExisting = existing === 0 ? end + STEP_MS : end - (existing - 1) * STEP_MS;
    for (let start = existing; start < plan.notes; start += BATCH) {
      const rows = [];
      for (let i = start; i < Math.min(plan.notes, start + BATCH); i++) {
        const n = plan.notes - i;
        const at = new Date(oldestExisting - (i - existing + 1) * STEP_MS);
        const body = noteBody(n);
        rows.push({
          key: generateNoteKey(),
          title: `Note ${n}: a title of ordinary length`,
          body,
          preview: previewOf(body),
          formTags: noteFormTags(n).join(','),
          owner: plan.mix ? plan.mix.owners[i % plan.mix.owners.length]! : plan.owner,
          ...(plan.mix ? { visibility: VISIBILITIES[i % VISIBILITIES.length] } : {}),
          version: 1,
          createdAt: at,
          updatedAt: at,
        });
      }
      await Note.bulkCreate(rows, { validate: false });
    }
    if (existing === 0) await seedTags(db);
    let grants = 0;
    if (plan.mix && existing === 0 && plan.mix.grants > 0) grants = await seedGrants(db, plan.mix);
    const newest = await Note.findAll({
      attributes: ['key'],
      order: [
        ['createdAt', 'DESC'],
        ['id', 'DESC'],
      ],
      limit: Math.max(1, plan.commentedNotes),
      raw: true,
    });
    let comments = 0;
    if (existing === 0 && plan.commentsPerNote > 0) {
      let rows = [];
      for (const [n, note] of newest.slice(0, plan.commentedNotes).entries()) {
        for (let c = 0; c < plan.commentsPerNote; c++) {
          rows.push({
            noteKey: note.key,
            author: plan.owner,
            message: `Comment ${c} on the note (${n}): short, like most comments are.`,
            createdAt: new Date(end - c * 1000),
          });
          if (rows.length >= BATCH) {
            await Comment.bulkCreate(rows, { validate: false });
            comments += rows.length;
            rows = [];
          }
        }
      }
      if (rows.length > 0) await Comment.bulkCreate(rows, { validate: false });
      comments += rows.length;
    }
    if (plan.searchIndex && existing < plan.notes)
      await new SearchIndex(db).rebuild(() => {}, { skipTrashed: true });
    const total = await Note.count();
    return {
      notes: total,
      grants,
      comments: comments || (await Comment.count()),
      newestKey: newest[0]!.key,
      ms: performance.now() - started,
    };
  } finally {
    await db.close();
  }
}

/** The `note_tags` rows of every seeded note's form tags (the app writes them on each save). */
async function seedTags(db: ReturnType<typeof openDatabase>) {
  let after = 0;
  for (;;) {
    const [rows] = await db.query('SELECT id, formTags FROM notes WHERE id > ? ORDER BY id LIMIT ?', {
      replacements: [after, BATCH],
    });
    const notes = rows as Array<{ id: number; formTags: string | null }>;
    if (notes.length === 0) return;
    const pairs = notes.flatMap((n) =>
      (n.formTags ?? '')
        .split(',')
        .filter(Boolean)
        .map((tag) => [n.id, tag]),
    );
    if (pairs.length > 0)
      await db.query(`INSERT INTO note_tags (noteId, tag) VALUES ${pairs.map(() => '(?, ?)').join(', ')}`, {
        replacements: pairs.flat(),
      });
    after = notes.at(-1)!.id;
  }
}

/** Shares private notes of owners other than owners[0]: alternately with owners[0] and another owner. */
async function seedGrants(db: ReturnType<typeof openDatabase>, mix: { owners: string[]; grants: number }) {
  const Note = defineNoteModel(db);
  const Grant = defineGrantModel(db);
  const [me, ...others] = mix.owners as [string, ...string[]];
  const candidates = await Note.findAll({
    attributes: ['key', 'owner'],
    where: { visibility: 'private', owner: others },
    order: [['id', 'ASC']],
    limit: mix.grants,
    raw: true,
  });
  const at = new Date();
  const rows = candidates.map((n, i) => ({
    noteKey: n.key,
    username: i % 2 === 0 ? me : others[(others.indexOf(n.owner) + 1) % others.length]!,
    role: i % 4 === 0 ? 'editor' : 'viewer',
    createdAt: at,
  }));
  for (let i = 0; i < rows.length; i += BATCH)
    await Grant.bulkCreate(rows.slice(i, i + BATCH), { validate: false });
  return rows.length;
}
