/**
 * The bare baseline of `pnpm bench`: Express + mysql2 + hbs, the same queries as svc-notes for the
 * home page, the note view and the login check, the same template engine and Markdown renderer,
 * and nothing else (no sessions, no CSRF, no security headers, no ORM, no logging). The pages are
 * those of pages.ts, which raw.ts serves without Express.
 * Env: PORT, BASELINE_NOTES_DB_URL, BASELINE_USERS_DB_URL, BASELINE_PAGE_SIZE.
 */
import { randomBytes } from 'node:crypto';
import express, { type Response } from 'express';
import {
  closeDatabases,
  engineWithPartials,
  homePage,
  notePage,
  type Page,
  passwordMatches,
  searchPage,
  VIEWS,
} from './pages.js';

const app = express();
app.engine('hbs', engineWithPartials().__express);
app.set('view engine', 'hbs');
app.set('views', VIEWS);
app.set('view cache', true);
app.use(express.urlencoded({ extended: false, limit: '16kb' }));

const send = (res: Response, page: Page) => res.status(page.status).render(page.view, page.data);

app.get('/readyz', (_req, res) => {
  res.json({ ok: true });
});

app.get('/', async (req, res) => {
  send(res, await homePage(Math.max(1, Number(req.query.page ?? 1) || 1)));
});

app.get('/search', async (req, res) => {
  const q = typeof req.query.q === 'string' ? req.query.q : '';
  send(res, await searchPage(q, Math.max(1, Number(req.query.page ?? 1) || 1)));
});

app.get('/notes/view', async (req, res) => {
  send(res, await notePage(typeof req.query.key === 'string' ? req.query.key : ''));
});

app.get('/users/login', (_req, res) => {
  res.render('login', { title: 'Log in', csrf: randomBytes(18).toString('base64url') });
});

app.post('/users/login', async (req, res) => {
  const body = req.body as Record<string, unknown>;
  const username = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (await passwordMatches(username, password)) {
    res.redirect(302, '/');
    return;
  }
  res.status(200).render('login', { title: 'Log in', message: 'Wrong user name or password' });
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
const stop = () => {
  server.close();
  server.closeAllConnections();
  void closeDatabases().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
