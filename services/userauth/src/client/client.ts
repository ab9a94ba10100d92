import { AppError, type ErrorCode } from '@notes/kit/errors';
import { Agent, fetch } from 'undici';
import type {
  IdentityInput,
  IdentityResult,
  MfaCheck,
  MfaEnrolment,
  MfaStatus,
  PasswordCheck,
  User,
  UserInput,
  UserUpdate,
} from './types.js';

export interface UserauthClientOptions {
  /** Base URL of svc-userauth, e.g. http://127.0.0.1:5858 */
  url: string;
  /** `name:key`, sent as HTTP Basic credentials. */
  apiKey: string;
  /** Per-request timeout; default 5 s. */
  timeoutMs?: number;
}

/**
 * How long an idle connection to svc-userauth may be reused: far below the server's keep-alive
 * timeout (USERAUTH_KEEP_ALIVE_MS), whatever keep-alive hint the server sends. With Node's
 * defaults (server 5 s; fetch reuses for the server's hint minus a second) a busy client whose
 * timers ran late reused a connection at the very moment the server closed it; behind a
 * container network that drops the stray packets of a closed connection, the request then hung
 * until the client timeout: the stack test's occasional 503 on a login right after scaling.
 */
export const CLIENT_IDLE_REUSE_MS = 4000;

/** One connection pool per process for every UserauthClient. */
let pool: Agent | undefined;
const connections = () => {
  pool ??= new Agent({ keepAliveTimeout: CLIENT_IDLE_REUSE_MS, keepAliveMaxTimeout: CLIENT_IDLE_REUSE_MS });
  return pool;
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  429: 'too_many_requests',
  503: 'unavailable',
};

/**
 * Typed client of the svc-userauth REST API. Every failure is an AppError whose code says what
 * happened: invalid (400), unauthorized (401), not_found (404), conflict (409), unavailable
 * (service unreachable, timed out or 5xx).
 */
export class UserauthClient {
  private readonly base: string;
  private readonly authorization: string;
  private readonly timeoutMs: number;

  constructor(options: UserauthClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(options.apiKey, 'utf8').toString('base64')}`;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  createUser(input: UserInput): Promise<User> {
    return this.request('POST', '/create-user', input);
  }
  findOrCreate(input: UserInput): Promise<User> {
    return this.request('POST', '/find-or-create', input);
  }
  /** The user an OpenID Connect account (issuer + subject) signs in as, made on first use. */
  findOrCreateIdentity(input: IdentityInput): Promise<IdentityResult> {
    return this.request('POST', '/find-or-create-identity', input);
  }
  find(username: string): Promise<User> {
    return this.request('GET', `/find/${encodeURIComponent(username)}`);
  }
  /** Like find, but null instead of a not_found error. */
  async findOrNull(username: string): Promise<User | null> {
    try {
      return await this.find(username);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    }
  }
  list(): Promise<User[]> {
    return this.request('GET', '/list');
  }
  updateUser(username: string, changes: UserUpdate): Promise<User> {
    return this.request('POST', `/update-user/${encodeURIComponent(username)}`, changes);
  }
  async destroy(username: string): Promise<void> {
    await this.request('DELETE', `/destroy/${encodeURIComponent(username)}`);
  }
  passwordCheck(username: string, password: string): Promise<PasswordCheck> {
    return this.request('POST', '/password-check', { username, password });
  }
  mfaStatus(username: string): Promise<MfaStatus> {
    return this.request('GET', `/mfa/${encodeURIComponent(username)}`);
  }
  /** The pending TOTP enrolment (a new secret when there is none, or with `restart`). */
  mfaEnrol(username: string, restart = false): Promise<MfaEnrolment> {
    return this.request('POST', `/mfa/${encodeURIComponent(username)}/enrol`, { restart });
  }
  mfaConfirm(username: string, code: string): Promise<{ recoveryCodes: string[] }> {
    return this.request('POST', `/mfa/${encodeURIComponent(username)}/confirm`, { code });
  }
  mfaVerify(username: string, code: string): Promise<MfaCheck> {
    return this.request('POST', `/mfa/${encodeURIComponent(username)}/verify`, { code });
  }
  mfaDisable(username: string): Promise<{ removed: boolean }> {
    return this.request('DELETE', `/mfa/${encodeURIComponent(username)}`);
  }
  /** GET /readyz without credentials: true when the service and its database answer. */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`${this.base}/readyz`, {
        signal: AbortSignal.timeout(this.timeoutMs),
        dispatcher: connections(),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        dispatcher: connections(),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable';
      throw AppError.unavailable(`user service ${reason} at ${this.base}`, err);
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (res.ok) {
      if (parsed === undefined)
        throw AppError.unavailable(`user service sent a non-JSON answer (${res.status})`);
      return parsed as T;
    }
    const message =
      parsed && typeof parsed === 'object' && typeof (parsed as { message?: unknown }).message === 'string'
        ? (parsed as { message: string }).message
        : `HTTP ${res.status}`;
    const code = CODE_BY_STATUS[res.status] ?? 'unavailable';
    const error = new AppError(code, message);
    throw error;
  }
}
