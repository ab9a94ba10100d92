import { hasControlChars } from '@notes/kit';
import type { IdentityInput } from '@notes/userauth/client';
import type { IDToken } from 'openid-client';

/** A claim as plain text: control characters dropped, trimmed, at most `max` characters. */
const text = (value: unknown, max: number): string =>
  typeof value === 'string'
    ? [...value]
        .filter((c) => !hasControlChars(c))
        .join('')
        .trim()
        .slice(0, max)
    : '';

/**
 * What an ID token says of a person, as svc-userauth's find-or-create-identity takes it. The
 * identity is (iss, sub); names come from given_name / family_name (else `name`, all of it as the
 * given name). An e-mail address counts only when the provider says it is verified
 * (`email_verified: true`): an unverified one is neither stored nor used for the username, so
 * nobody gets an address, or a name made of it, that they have not proven to own.
 */
export function identityFromClaims(claims: IDToken): IdentityInput {
  const verifiedEmail = claims.email_verified === true ? text(claims.email, 254) : '';
  const given = text(claims.given_name, 100);
  const family = text(claims.family_name, 100);
  const name = text(claims.name, 100);
  return {
    issuer: claims.iss,
    subject: claims.sub,
    username: text(claims.preferred_username, 254) || verifiedEmail || name || given,
    givenName: given || (family ? '' : name),
    familyName: family,
    emails: verifiedEmail && /^[^@\s]+@[^@\s]+$/.test(verifiedEmail) ? [verifiedEmail] : [],
  };
}
