/**
 * The limit baseline of `pnpm bench`: the pages of pages.ts (the same queries, view data and
 * templates as the Express baseline) on plain node:http, templates compiled once, no framework.
 * What svc-notes costs above it is everything the app adds, Express included.
 * Env: PORT, BASELINE_NOTES_DB_URL, BASELINE_USERS_DB_URL, BASELINE_PAGE_SIZE.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
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

const { handlebars } = engineWithPartials();
const compiled = (view: string) => handlebars.compile(readFileSync(join(VIEWS, `${view}.hbs`), 'utf8'));
const layout = compiled('layout');
const views = Object.fromEntries(['index', 'view', 'error', 'login'].map((v) => [v, compiled(v)]));

function send(res: ServerResponse, page: Page): void {
  const html = layout({ ...page.data, body: views[page.view]!(page.data) });
  res.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

const server = createServer((req, res) => {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const fail = (err: unknown) => {
    res.writeHead(500).end(String(err));
  };
  if (req.method === 'GET' && path === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  } else if (req.method === 'GET' && path === '/') {
    homePage(Math.max(1, Number(query.get('page') ?? 1) || 1)).then((p) => send(res, p), fail);
  } else if (req.method === 'GET' && path === '/search') {
    searchPage(query.get('q') ?? '', Math.max(1, Number(query.get('page') ?? 1) || 1)).then(
      (p) => send(res, p),
      fail,
    );
  } else if (req.method === 'GET' && path === '/notes/view') {
    notePage(query.get('key') ?? '').then((p) => send(res, p), fail);
  } else if (req.method === 'GET' && path === '/users/login') {
    send(res, {
      status: 200,
      view: 'login',
      data: { title: 'Log in', csrf: randomBytes(18).toString('base64url') },
    });
  } else if (req.method === 'POST' && path === '/users/login') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      passwordMatches(form.get('username') ?? '', form.get('password') ?? '').then((ok) => {
        if (ok) res.writeHead(302, { location: '/' }).end();
        else
          send(res, {
            status: 200,
            view: 'login',
            data: { title: 'Log in', message: 'Wrong user name or password' },
          });
      }, fail);
    });
  } else {
    send(res, {
      status: 404,
      view: 'error',
      data: { title: 'Not Found', message: 'Not Found', status: 404 },
    });
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
const stop = () => {
  server.close();
  server.closeAllConnections();
  void closeDatabases().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
