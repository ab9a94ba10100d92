import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Express } from 'express';
import hbs from 'hbs';
import { VIEWS_DIR } from '../paths.js';
import { formatTime } from './format-time.js';
import { relativeTime } from './relative-time.js';

/** Handlebars views (`views/*.hbs`, partials in `views/partials`), escaping by default. */
export function setupViews(app: Express): void {
  const engine = hbs.create();
  const partials = join(VIEWS_DIR, 'partials');
  for (const file of readdirSync(partials)) {
    if (file.endsWith('.hbs'))
      engine.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  engine.registerHelper('formatTime', ((date: Date) => formatTime(date)) as never);
  // A Date, or the ISO string of a presented comment.
  engine.registerHelper('relativeTime', ((date: Date | string) => relativeTime(new Date(date))) as never);
  engine.registerHelper('isoTime', ((date: Date) => date.toISOString()) as never);
  // A path segment (a tag in /tags/<tag>); Handlebars then escapes it for the attribute.
  engine.registerHelper('urlPart', ((value: string) => encodeURIComponent(value)) as never);
  // A URL built by the server (pager.ts) in an attribute: escaped, but `=` left readable.
  engine.registerHelper(
    'url',
    ((url: string) =>
      new engine.handlebars.SafeString(
        String(url)
          .replace(/&/g, '&amp;')
          .replace(/"/g, '&quot;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;'),
      )) as never,
  );
  engine.registerHelper('eq', ((a: unknown, b: unknown) => a === b) as never);
  // The last argument is Handlebars' options object.
  engine.registerHelper('or', ((...args: unknown[]) => args.slice(0, -1).some(Boolean)) as never);
  app.engine('hbs', engine.__express);
  app.set('view engine', 'hbs');
  app.set('views', VIEWS_DIR);
}
