import type { IDToken } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { identityFromClaims } from './oidc-claims.js';

const token = (claims: Record<string, unknown>): IDToken =>
  ({ iss: 'https://id.example.org', sub: 's-1', aud: 'notes', iat: 1, exp: 2, ...claims }) as IDToken;

describe('identityFromClaims', () => {
  it('takes the identity, names and a verified address from the ID token', () => {
    expect(
      identityFromClaims(
        token({
          preferred_username: 'dana',
          given_name: 'Dana',
          family_name: 'Scully',
          email: 'dana@example.org',
          email_verified: true,
        }),
      ),
    ).toEqual({
      issuer: 'https://id.example.org',
      subject: 's-1',
      username: 'dana',
      givenName: 'Dana',
      familyName: 'Scully',
      emails: ['dana@example.org'],
    });
  });

  it('an unverified (or unconfirmed) address is neither kept nor made into the username', () => {
    for (const email_verified of [false, undefined, 'true']) {
      const identity = identityFromClaims(
        token({ email: 'victim@example.org', email_verified, name: 'M M' }),
      );
      expect(identity.emails).toEqual([]);
      expect(identity.username).toBe('M M');
    }
    expect(identityFromClaims(token({ email: 'me@example.org', email_verified: true })).username).toBe(
      'me@example.org',
    );
  });

  it('uses `name` as the given name only without given/family names; drops control characters', () => {
    expect(identityFromClaims(token({ name: 'Ada Lovelace' }))).toMatchObject({
      givenName: 'Ada Lovelace',
      familyName: '',
    });
    expect(identityFromClaims(token({ name: 'x', family_name: 'Byron' }))).toMatchObject({
      givenName: '',
      familyName: 'Byron',
    });
    expect(
      identityFromClaims(token({ given_name: 'A\u0000b\nc', family_name: 'z'.repeat(300) })),
    ).toMatchObject({
      givenName: 'Abc',
      familyName: 'z'.repeat(100),
    });
  });
});
