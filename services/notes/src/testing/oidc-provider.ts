import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/** A person at the test provider: the password of its login form and the claims it vouches for. */
export interface TestAccount {
  login: string;
  password: string;
  /** sub defaults to `sub-<login>`. */
  claims: Record<string, unknown> & { sub?: string };
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  add(account: TestAccount): void;
  /** While on, every ID token is issued already expired (an hour ago). */
  expireIdTokens(on: boolean): void;
  close(): Promise<void>;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(uid: string, message = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP: sign in</title>
<style>body{font-family:sans-serif;max-width:22rem;margin:4rem auto}input,button{display:block;width:100%;margin:.5rem 0;padding:.5rem}</style>
</head><body><h1>Test IdP</h1>${message ? `<p id="provider-error">${escapeHtml(message)}</p>` : ''}
<form id="provider-login" method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Login <input name="login" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in to Test IdP</button></form></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a free loopback port, with one
 * confidential client whose redirect URI is `redirectUri`, PKCE required, and a minimal
 * interaction of its own: a login form checking the accounts' passwords, consent given at once.
 * No page of it loads anything from outside this machine.
 */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  const subOf = (a: TestAccount) => a.claims.sub ?? `sub-${a.login}`;
  const clientId = 'notes-test';
  const clientSecret = randomBytes(24).toString('hex');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' };

  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    findAccount: (_ctx, sub) => {
      const account = [...accounts.values()].find((a) => subOf(a) === sub);
      return account ? { accountId: sub, claims: () => ({ ...account.claims, sub }) } : undefined;
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
    },
    // The profile and e-mail claims go into the ID token, as Keycloak, Google or GitLab do.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    jwks: { keys: [jwk as never] },
    ttl: {
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 600,
      Session: 600,
      Grant: 600,
    },
  };
  const provider = new Provider(issuer, configuration);
  const originalIssue = provider.IdToken.prototype.issue;
  let expired = false;
  provider.IdToken.prototype.issue = function issue(this: unknown, options) {
    const expiresAt = expired ? Math.floor(Date.now() / 1000) - 3600 : undefined;
    return originalIssue.call(this, expiresAt ? ({ ...options, expiresAt } as never) : options);
  };
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, submit: boolean) => {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!submit) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid));
        return;
      }
      const form = await readForm(req);
      const account = accounts.get(form.get('login') ?? '');
      if (!account || account.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(uid, 'Wrong login'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: subOf(account) } });
      return;
    }
    // Consent: granted at once for what the client asked.
    const { accountId } = details.session!;
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  http.on('request', (req, res) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? '');
    if (!match) return void callback(req, res);
    interaction(req, res, match[1]!, req.method === 'POST' && Boolean(match[2])).catch((err: unknown) => {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(String((err as Error).message));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    add: (account) => accounts.set(account.login, account),
    expireIdTokens: (on) => {
      expired = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
