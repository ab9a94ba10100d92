import { AppError } from '@notes/kit';
import type { User, UserauthClient } from '@notes/userauth/client';
import express, { type Request, type Response, Router } from 'express';
import type { LoginLimiter } from '../auth/login-limiter.js';
import { requireLogin, signedInUser } from '../auth/require-login.js';
import { csrfProtection, csrfToken } from '../http/csrf.js';
import { toSessionUser, type UserDirectory } from '../users/user-directory.js';
import { labelled, parseCode, parsePasswordChange, parseProfile } from './profile-input.js';
import { groupKey, qrSvg } from './qr-code.js';
import type { SessionRegistry } from './session-registry.js';

export const PROFILE_PATH = '/users/profile';

/** What a redirect back to the profile says (fixed texts: nothing typed is reflected). */
const NOTICES: Record<string, string> = {
  profile: 'Your profile is saved.',
  password: 'Your password is changed; your other sessions are signed out.',
  'mfa-off': 'Two-factor authentication is off.',
  session: 'That session is signed out.',
};

interface Problems {
  profileMessage?: string;
  passwordMessage?: string;
  mfaMessage?: string;
  form?: { givenName: string; familyName: string; email: string };
}

const messageOf = (err: unknown): string | undefined =>
  err instanceof AppError && err.code === 'invalid' ? labelled(err.message) : undefined;

/**
 * /users/profile (DESIGN 4.10): the signed-in user's name and e-mail, password (current one
 * required; the user's other sessions end), second factor (enrol with a QR code rendered here, a
 * confirming code, recovery codes shown once; off with a code) and sessions (listed, ended).
 * Wrong current passwords and codes count toward the login limits.
 */
export function profileRoutes(deps: {
  userauth: UserauthClient;
  users: UserDirectory;
  registry: SessionRegistry;
  limiter: LoginLimiter;
}): Router {
  const { userauth, users, registry, limiter } = deps;
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });

  const render = async (req: Request, res: Response, status: number, problems: Problems = {}) => {
    const me = signedInUser(req);
    const [account, mfa, sessions] = await Promise.all([
      userauth.find(me.username),
      userauth.mfaStatus(me.username),
      registry.list(me.username, req.sessionID),
    ]);
    const notice = typeof req.query.saved === 'string' ? NOTICES[req.query.saved] : undefined;
    res.status(status).render('profile', {
      title: 'Your profile',
      user: req.user,
      csrf: csrfToken(req),
      account,
      oidc: account.provider !== 'local',
      form: problems.form ?? {
        givenName: account.givenName,
        familyName: account.familyName,
        email: account.emails[0] ?? '',
      },
      mfa,
      sessions,
      notice: status === 200 ? notice : undefined,
      ...problems,
    });
  };

  /** Counts a wrong secret (password or code) of the signed-in user like a failed login. */
  const guarded = async (req: Request, check: () => Promise<boolean>): Promise<boolean> => {
    const attempt = { address: req.ip ?? '', username: signedInUser(req).username };
    await limiter.admit(attempt);
    const ok = await check();
    if (!ok) await limiter.failed(attempt);
    return ok;
  };

  router.get(PROFILE_PATH, requireLogin, async (req, res) => render(req, res, 200));

  router.post(PROFILE_PATH, requireLogin, form, csrfProtection, async (req, res) => {
    const me = signedInUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed = {
      givenName: String(body.givenName ?? '').slice(0, 100),
      familyName: String(body.familyName ?? '').slice(0, 100),
      email: String(body.email ?? '').slice(0, 254),
    };
    let updated: User;
    try {
      const input = parseProfile(body);
      const account = await userauth.find(me.username);
      // The address typed replaces the first one; the others (set by an admin) stay.
      const rest = account.emails.slice(1).filter((e) => e.toLowerCase() !== input.email.toLowerCase());
      updated = await userauth.updateUser(me.username, {
        givenName: input.givenName,
        familyName: input.familyName,
        emails: input.email ? [input.email, ...rest] : rest,
      });
    } catch (err) {
      const message = messageOf(err);
      if (message) return render(req, res, 400, { profileMessage: message, form: typed });
      throw err;
    }
    users.remember(toSessionUser(updated));
    res.redirect(303, `${PROFILE_PATH}?saved=profile`);
  });

  router.post(`${PROFILE_PATH}/password`, requireLogin, form, csrfProtection, async (req, res) => {
    const me = signedInUser(req);
    const fail = (message: string) => render(req, res, 400, { passwordMessage: message });
    let input: ReturnType<typeof parsePasswordChange>;
    try {
      input = parsePasswordChange(req.body);
    } catch (err) {
      const message = messageOf(err);
      if (message) return fail(message);
      throw err;
    }
    const current = input.current;
    if (!(await guarded(req, async () => (await userauth.passwordCheck(me.username, current)).check)))
      return fail('Current password: is not correct');
    if (input.password !== input.confirm) return fail('New password again: does not match the new password');
    try {
      await userauth.updateUser(me.username, { password: input.password });
    } catch (err) {
      const message = messageOf(err);
      if (message) return fail(message);
      throw err;
    }
    // Whoever knew the old password (or holds another session) is out; this browser stays in.
    await registry.endOthers(me.username, req.sessionID);
    res.redirect(303, `${PROFILE_PATH}?saved=password`);
  });

  router.post(`${PROFILE_PATH}/mfa`, requireLogin, form, csrfProtection, async (req, res) => {
    await userauth.mfaEnrol(signedInUser(req).username, true);
    res.redirect(303, `${PROFILE_PATH}/mfa`);
  });

  const renderEnrolment = async (req: Request, res: Response, status: number, message?: string) => {
    const me = signedInUser(req);
    const { secret, uri } = await userauth.mfaEnrol(me.username);
    res.status(status).render('profile-mfa', {
      title: 'Set up two-factor authentication',
      user: req.user,
      csrf: csrfToken(req),
      qrSvg: await qrSvg(uri),
      secretGroups: groupKey(secret),
      message,
    });
  };

  router.get(`${PROFILE_PATH}/mfa`, requireLogin, async (req, res) => {
    if ((await userauth.mfaStatus(signedInUser(req).username)).enabled)
      return res.redirect(302, PROFILE_PATH);
    await renderEnrolment(req, res, 200);
  });

  router.post(`${PROFILE_PATH}/mfa/confirm`, requireLogin, form, csrfProtection, async (req, res) => {
    const me = signedInUser(req);
    let codes: string[];
    try {
      const code = parseCode(req.body);
      codes = (await userauth.mfaConfirm(me.username, code)).recoveryCodes;
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') return res.redirect(303, PROFILE_PATH);
      const message = messageOf(err);
      if (message) return renderEnrolment(req, res, 400, message);
      throw err;
    }
    res.render('profile-recovery', { title: 'Recovery codes', user: req.user, codes });
  });

  router.post(`${PROFILE_PATH}/mfa/disable`, requireLogin, form, csrfProtection, async (req, res) => {
    const me = signedInUser(req);
    let code: string;
    try {
      code = parseCode(req.body);
    } catch (err) {
      const message = messageOf(err);
      if (message) return render(req, res, 400, { mfaMessage: message });
      throw err;
    }
    let refusal = 'Code: is not correct';
    const ok = await guarded(req, async () => {
      const check = await userauth.mfaVerify(me.username, code);
      if (!check.check) refusal = `Code: ${check.message}`;
      return check.check;
    });
    if (!ok) return render(req, res, 400, { mfaMessage: refusal });
    await userauth.mfaDisable(me.username);
    res.redirect(303, `${PROFILE_PATH}?saved=mfa-off`);
  });

  router.post(`${PROFILE_PATH}/sessions/end`, requireLogin, form, csrfProtection, async (req, res) => {
    const handle = String((req.body as Record<string, unknown> | undefined)?.session ?? '').slice(0, 64);
    await registry.end(signedInUser(req).username, handle, req.sessionID);
    res.redirect(303, `${PROFILE_PATH}?saved=session`);
  });

  return router;
}
