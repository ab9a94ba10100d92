import { AppError, type Logger } from '@notes/kit';
import type { UserauthClient } from '@notes/userauth/client';
import type { Request } from 'express';
import * as client from 'openid-client';
import { type AuthenticateOptions, Strategy } from 'openid-client/passport';
import type { OidcSettings } from '../config.js';
import { toSessionUser, type UserDirectory } from '../users/user-directory.js';
import { identityFromClaims } from './oidc-claims.js';
import type { NotesPassport } from './passport-setup.js';

export const OIDC_STRATEGY = 'oidc';

/**
 * openid-client's Passport strategy always sends PKCE (S256), and adds state or nonce only for a
 * provider without PKCE. We send both every time, and the strategy checks both on the way back
 * (state against the session, nonce against the ID token): a forged or crossed callback fails
 * even at a provider whose PKCE support is incomplete.
 */
class CheckedStrategy extends Strategy {
  override authorizationRequestParams<T extends AuthenticateOptions>(req: Request, options: T) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }
}

/**
 * Sign-in through an OpenID Connect provider (authorization code flow). The provider's metadata is
 * discovered on first use, and again after a failure, so svc-notes starts while the provider is
 * away and the button works as soon as it is back. The ID token's (iss, sub) goes to svc-userauth,
 * which finds or makes the user; only the username goes into the session, as for passwords.
 */
export class OidcLogin {
  private discovered: Promise<void> | undefined;

  constructor(
    readonly settings: OidcSettings,
    private readonly passport: NotesPassport,
    private readonly userauth: UserauthClient,
    private readonly users: UserDirectory,
    private readonly logger: Logger,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  get unavailableMessage(): string {
    return `Sign-in with ${this.name} is unavailable; try again in a moment`;
  }

  /** Resolves once the strategy is registered; a 503 AppError while the provider cannot be reached. */
  ready(): Promise<void> {
    this.discovered ??= this.discover().catch((err: unknown) => {
      this.discovered = undefined;
      this.logger.warn(
        { err: (err as Error).message, issuer: this.settings.issuer.href },
        'oidc discovery failed',
      );
      throw AppError.unavailable(this.unavailableMessage, err);
    });
    return this.discovered;
  }

  private async discover(): Promise<void> {
    const { issuer, clientId, clientSecret, redirectUri, allowHttp } = this.settings;
    const config = await client.discovery(issuer, clientId, clientSecret, undefined, {
      timeout: 5,
      ...(allowHttp ? { execute: [client.allowInsecureRequests] } : {}),
    });
    const strategy = new CheckedStrategy(
      {
        config,
        name: OIDC_STRATEGY,
        sessionKey: 'oidc',
        scope: 'openid profile email',
        callbackURL: redirectUri,
      },
      (tokens, verified) => {
        const claims = tokens.claims();
        if (!claims) return verified(null, false, { message: 'the provider sent no ID token' });
        this.userauth
          .findOrCreateIdentity(identityFromClaims(claims))
          .then(({ user, created }) => {
            const sessionUser = toSessionUser(user);
            this.users.remember(sessionUser);
            if (created) this.logger.info({ username: user.username }, 'oidc user created');
            verified(null, sessionUser);
          })
          .catch((err: unknown) => verified(err));
      },
    );
    this.passport.use(OIDC_STRATEGY, strategy);
  }
}
