/**
 * The bare baseline of `pnpm bench`: Express + mysql2 + hbs, the same queries as svc-notes for the
 * home page, the note view and the login check, the same template engine and Markdown renderer,
 * and nothing else (no sessions, no CSRF, no security headers, no ORM, no logging).
 * Env: PORT, BASELINE_NOTES_DB_URL, BASELINE_USERS_DB_URL, BASELINE_PAGE_SIZE.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '@notes/notes/testing/internals';
import bcrypt from 'bcryptjs';
import express from 'express';
import { createPool, type RowDataPacket } from 'mysql2/promise';

type Render = (path: string, options: object, done: (err: Error | null, html?: string) => void) => void;
interface Hbs {
  __express: Render;
  registerPartial(name: string, template: string): void;
  create(): Hbs;
}
/** hbs ships no types; the two calls used here are typed locally. */
const loadHbs = () => createRequire(import.meta.url)('hbs') as Hbs;

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const pageSize = Number(process.env.BASELINE_PAGE_SIZE ?? 20);
const notesDb = createPool({ uri: env('BASELINE_NOTES_DB_URL'), connectionLimit: 10, charset: 'utf8mb4' });
const usersDb = createPool({ uri: env('BASELINE_USERS_DB_URL'), connectionLimit: 10, charset: 'utf8mb4' });

const app = express();
const views = join(dirname(fileURLToPath(import.meta.url)), 'views');
const engine = loadHbs().create();
for (const file of readdirSync(join(views, 'partials'))) {
  engine.registerPartial(basename(file, '.hbs'), readFileSync(join(views, 'partials', file), 'utf8'));
}
app.engine('hbs', engine.__express);
app.set('view engine', 'hbs');
app.set('views', views);
app.set('view cache', true);
app.use(express.urlencoded({ extended: false, limit: '16kb' }));

const time = (d: Date) => `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`;

app.get('/readyz', (_req, res) => {
  res.json({ ok: true });
});

app.get('/', async (req, res) => {
  const page = Math.max(1, Number(req.query.page ?? 1) || 1);
  const [rows] = await notesDb.query<RowDataPacket[]>(
    'SELECT `key`, title, owner, createdAt FROM notes ORDER BY createdAt DESC, id DESC LIMIT ? OFFSET ?',
    [pageSize + 1, (page - 1) * pageSize],
  );
  res.render('index', {
    title: 'Notes',
    notes: rows.slice(0, pageSize),
    page,
    hasNext: rows.length > pageSize,
    nextPage: page + 1,
  });
});

app.get('/notes/view', async (req, res) => {
  const key = typeof req.query.key === 'string' ? req.query.key : '';
  const [notes] = await notesDb.query<RowDataPacket[]>('SELECT * FROM notes WHERE `key` = ? LIMIT 1', [key]);
  const note = notes[0];
  if (!note) {
    res.status(404).render('error', { title: 'Not Found', message: 'Not Found', status: 404 });
    return;
  }
  const [comments] = await notesDb.query<RowDataPacket[]>(
    'SELECT * FROM comments WHERE noteKey = ? ORDER BY createdAt DESC, id DESC LIMIT ?',
    [key, pageSize + 1],
  );
  res.render('view', {
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
  });
});

app.get('/users/login', (_req, res) => {
  res.render('login', { title: 'Log in', csrf: randomBytes(18).toString('base64url') });
});

app.post('/users/login', async (req, res) => {
  const body = req.body as Record<string, unknown>;
  const username = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const [rows] = await usersDb.query<RowDataPacket[]>('SELECT passwordHash FROM users WHERE username = ?', [
    username,
  ]);
  const hash = rows[0]?.passwordHash;
  if (typeof hash === 'string' && (await bcrypt.compare(password, hash))) {
    res.redirect(302, '/');
    return;
  }
  res.status(200).render('login', { title: 'Log in', message: 'Wrong user name or password' });
});

const server = app.listen(Number(env('PORT')), '127.0.0.1');
const stop = () => {
  server.close();
  server.closeAllConnections();
  void Promise.all([notesDb.end(), usersDb.end()]).finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
