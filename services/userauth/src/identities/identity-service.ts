import { AppError } from '@notes/kit';
import type { UserService } from '../users/user-service.js';
import type { IdentityResult, ParsedIdentity } from './identity.js';
import type { IdentityRepository } from './identity-repository.js';
import { usernameCandidates } from './username-candidates.js';

/** The `provider` of users made by an OpenID Connect sign-in. */
export const OIDC_PROVIDER = 'oidc';

export type IdentityService = ReturnType<typeof createIdentityService>;

/**
 * Third-party sign-ins: the identity is (issuer, subject), never a name. The first sign-in makes a
 * user of its own (provider "oidc", no password) under a free username derived from the wanted
 * one; a local account of the same name is never reused, so nobody takes over an account by
 * choosing its name at their provider. Later sign-ins find the same user, whatever the names
 * and addresses of the provider say by then (the user keeps what they set on their profile).
 */
export function createIdentityService(repo: IdentityRepository, users: UserService) {
  return {
    async findOrCreate(input: ParsedIdentity): Promise<IdentityResult> {
      const known = await repo.usernameOf(input.issuer, input.subject);
      if (known) return { user: await users.find(known), created: false };
      for (const username of usernameCandidates(input.username)) {
        const made = await repo.createWithUser(input.issuer, input.subject, {
          username,
          provider: OIDC_PROVIDER,
          passwordHash: null,
          familyName: input.familyName,
          givenName: input.givenName,
          middleName: '',
          emails: input.emails,
          photos: [],
        });
        if (made === 'taken') continue;
        const name = made === true ? username : await repo.usernameOf(input.issuer, input.subject);
        if (!name) break;
        return { user: await users.find(name), created: made === true };
      }
      throw AppError.conflict('no free username for this identity: try again');
    },
  };
}
