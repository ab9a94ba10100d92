import type { Request, RequestHandler, Response } from 'express';

const DEFERRED = Symbol('deferred session');
type DeferredRequest = Request & { [DEFERRED]?: () => void };

/**
 * The session middlewares (express-session, then Passport's) for a request that may have a session,
 * i.e. one that sends the session cookie; a request without it (most anonymous page views) skips
 * them: no session object, no id generated and signed, no Passport state, no response hooks. A page
 * that needs a session anyway (a form's CSRF token: the login form, the logout button) gets one the
 * first time it touches `req.session` or `req.sessionID` (or calls ensureSession): the same
 * middlewares run then, exactly as they would have run first. So no route has to know.
 *
 * Without a cookie every one of them finishes synchronously (express-session generates a new session
 * without asking its store; Passport finds no user in it), which is what lets them run on demand.
 */
export function sessionWhenCookie(cookieName: string, handlers: RequestHandler[]): RequestHandler {
  const marker = `${cookieName}=`;
  return (req, res, next) => {
    // A substring test: a false positive (another cookie's value containing it) only costs the
    // full chain, and a request that sends the cookie always takes it.
    if (req.headers.cookie?.includes(marker)) return runChain(handlers, req, res, next);
    (req as DeferredRequest)[DEFERRED] = () => runNow(handlers, req, res);
    Object.defineProperties(req, {
      session: onFirstTouch(req, 'session'),
      sessionID: onFirstTouch(req, 'sessionID'),
    });
    next();
  };
}

/** An accessor that makes the session when read, and becomes a plain property when assigned. */
function onFirstTouch(req: Request, name: 'session' | 'sessionID'): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: true,
    get() {
      ensureSession(req);
      return req[name];
    },
    set(value: unknown) {
      Object.defineProperty(req, name, { value, writable: true, configurable: true, enumerable: true });
    },
  };
}

/**
 * False for a request that sent no session cookie and has not needed a session yet: it has no
 * stored data (flash messages and the like), and asking would make a session for nothing.
 */
export function mayHaveSession(req: Request): boolean {
  return (req as DeferredRequest)[DEFERRED] === undefined;
}

/** Makes sure `req.session` exists (see sessionWhenCookie); a no-op when the session already ran. */
export function ensureSession(req: Request): void {
  const deferred = (req as DeferredRequest)[DEFERRED];
  if (!deferred) return;
  (req as DeferredRequest)[DEFERRED] = undefined;
  // express-session must find no session (it would keep one it finds), and set its own properties.
  const own = req as unknown as Record<string, unknown>;
  delete own.session;
  delete own.sessionID;
  deferred();
}

function runChain(
  handlers: RequestHandler[],
  req: Request,
  res: Response,
  done: (err?: unknown) => void,
): void {
  let i = 0;
  const step = (err?: unknown): void => {
    const handler = handlers[i++];
    if ((err !== undefined && err !== null) || !handler) {
      done(err);
      return;
    }
    // A handler that throws is answered by Express's own catch around this middleware (or, for
    // ensureSession, around the route that asked).
    void handler(req, res, step);
  };
  step();
}

function runNow(handlers: RequestHandler[], req: Request, res: Response): void {
  let finished = false;
  let failure: unknown;
  runChain(handlers, req, res, (err) => {
    finished = true;
    failure = err;
  });
  if (!finished) throw new Error('the session middlewares did not finish synchronously for a new session');
  if (failure !== undefined) throw failure;
}
