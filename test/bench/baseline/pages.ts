/**
 * What both baselines of `pnpm bench` serve (bare Express in main.ts, raw node:http in raw.ts): the
 * same queries, the same view data and the same Handlebars templates (views/), so that the two
 * differ only by Express. Env: BASELINE_NOTES_DB_URL, BASELINE_USERS_DB_URL, BASELINE_PAGE_SIZE.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '@notes/notes/testing/internals';
import bcrypt from 'bcryptjs';
import { createPool, type RowDataPacket } from 'mysql2/promise';

type Render = (path: string, options: object, done: (err: Error | null, html?: string) => void) => void;
type Template = (context: object) => string;
export interface Hbs {
  __express: Render;
  registerPartial(name: string, template: string): void;
  create(): Hbs;
  handlebars: { compile(source: string): Template };
}
/** hbs ships no types; the calls used here are typed locally. */
export const loadHbs = () => createRequire(import.meta.url)('hbs') as Hbs;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

export const VIEWS = join(dirname(fileURLToPath(import.meta.url)), 'views');
const pageSize = Number(process.env.BASELINE_PAGE_SIZE ?? 20);
const notesDb = createPool({ uri: env('BASELINE_NOTES_DB_URL'), connectionLimit: 10, charset: 'utf8mb4' });
const usersDb = createPool({ uri: env('BASELINE_USERS_DB_URL'), connectionLimit: 10, charset: 'utf8mb4' });

/** An engine with the partials of views/partials registered. */
export function engineWithPartials(): Hbs {
  const engine = loadHbs().create();
  for (const file of readdirSync(join(VIEWS, 'partials'))) {
    engine.registerPartial(basename(file, '.hbs'), readFileSync(join(VIEWS, 'partials', file), 'utf8'));
  }
  return engine;
}

const time = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;

/** A page to render: a view of views/ and its data, with a status. */
export interface Page {
  status: number;
  view: 'index' | 'view' | 'error' | 'login';
  data: Record<string, unknown>;
}

const notFound: Page = {
  status: 404,
  view: 'error',
  data: { title: 'Not Found', message: 'Not Found', status: 404 },
};

/** Home page `page` (1-based). */
export async function homePage(page: number): Promise<Page> {
  const [rows] = await notesDb.query<RowDataPacket[]>(
    'SELECT `key`, title, owner, createdAt FROM notes ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?',
    [pageSize + 1, (page - 1) * pageSize],
  );
  return {
    status: 200,
    view: 'index',
    data: {
      title: 'Notes',
      notes: rows.slice(0, pageSize),
      page,
      hasNext: rows.length > pageSize,
      nextPage: page + 1,
    },
  };
}

/**
 * Search results page `page` for `q`: the newest notes whose title or body contains it (LIKE, no
 * index), as the home page's list. The app ranks with its full-text index; this is the bare way.
 */
export async function searchPage(q: string, page: number): Promise<Page> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const [rows] = await notesDb.query<RowDataPacket[]>(
    'SELECT `key`, title, owner, createdAt FROM notes WHERE title LIKE ? OR body LIKE ? ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?',
    [like, like, pageSize + 1, (page - 1) * pageSize],
  );
  return {
    status: 200,
    view: 'index',
    data: {
      title: `Search: ${q}`,
      notes: rows.slice(0, pageSize),
      page,
      hasNext: rows.length > pageSize,
      nextPage: page + 1,
    },
  };
}

/** The note page with its newest comments. */
export async function notePage(key: string): Promise<Page> {
  const [notes] = await notesDb.query<RowDataPacket[]>('SELECT * FROM notes WHERE `key` = ? LIMIT 1', [key]);
  const note = notes[0];
  if (!note) return notFound;
  const [comments] = await notesDb.query<RowDataPacket[]>(
    'SELECT * FROM comments WHERE noteKey = ? ORDER BY createdAt DESC, id DESC LIMIT ?',
    [key, pageSize + 1],
  );
  return {
    status: 200,
    view: 'view',
    data: {
      title: note.title,
      note,
      html: renderMarkdown(note.body),
      updated: time(new Date(note.updatedAt)),
      updatedIso: new Date(note.updatedAt).toISOString(),
      comments: comments.slice(0, pageSize).map((c) => ({
        ...c,
        time: time(new Date(c.createdAt)),
        timestamp: new Date(c.createdAt).toISOString(),
      })),
    },
  };
}

/** True when the password is the user's (bcrypt in this process). */
export async function passwordMatches(username: string, password: string): Promise<boolean> {
  const [rows] = await usersDb.query<RowDataPacket[]>('SELECT passwordHash FROM users WHERE username = ?', [
    username,
  ]);
  const hash = rows[0]?.passwordHash;
  return typeof hash === 'string' && (await bcrypt.compare(password, hash));
}

export const closeDatabases = () => Promise.all([notesDb.end(), usersDb.end()]);
