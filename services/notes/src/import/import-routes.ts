import { AppError } from '@notes/kit';
import { type Request, type Response, Router } from 'express';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { CSRF_REFUSED, csrfToken, csrfValid } from '../http/csrf.js';
import { rateLimited, type WriteLimiter } from '../limits/write-limiter.js';
import type { ImportService } from './import-service.js';
import { describeSize, readUpload, type UploadLimits } from './import-upload.js';

/**
 * `GET /notes/import` (the form) and `POST /notes/import` (DESIGN 4.7): signed in, the form's
 * CSRF token, multipart. The results page lists every file as imported (with its note), failed
 * (and why) or skipped. A refusal of the whole import (too much sent, too many files, a bad form
 * token) shows the form again with the reason; nothing of it is imported. HTTP only: the rules
 * live in ImportService.
 */
export function importRoutes(imports: ImportService, writes: WriteLimiter, limits: UploadLimits): Router {
  const router = Router();

  const form = (req: Request, res: Response, status = 200, message?: string) => {
    res.status(status).render('import', {
      title: 'Import notes',
      user: req.user,
      csrf: csrfToken(req),
      message,
      limits: {
        files: limits.maxFiles.toLocaleString('en-US'),
        file: describeSize(limits.maxFileBytes),
        upload: describeSize(limits.maxBytes),
      },
    });
  };

  router.get('/notes/import', requireLogin, (req, res) => form(req, res));

  router.post('/notes/import', requireLogin, async (req, res) => {
    const user = signedInUser(req);
    try {
      if (!(await writes.allowUser(user.username))) {
        res.set('Retry-After', '1');
        throw rateLimited();
      }
      const upload = await readUpload(req, limits);
      req.body = upload.fields;
      if (!csrfValid(req)) throw AppError.forbidden(CSRF_REFUSED);
      if (upload.files.length === 0)
        throw AppError.invalid('files', 'choose one or more .md files or a .zip');
      const outcomes = await imports.importFiles(upload.files, user);
      const count = (status: string) => outcomes.filter((o) => o.status === status).length;
      res.render('import-results', {
        title: 'Import results',
        user: req.user,
        outcomes,
        imported: count('imported'),
        failed: count('failed'),
        skipped: count('skipped'),
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      // The rest of a refused upload is not read: the connection closes after the answer.
      if (!req.complete) res.set('Connection', 'close');
      form(req, res, err.status, err.message);
    }
  });

  return router;
}
