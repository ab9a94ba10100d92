import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@notes/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from './config.js';

const BASE = { NOTES_SESSION_SECRET: 'x'.repeat(32), USERAUTH_API_KEY: 'notes:0123456789abcdef' };
const OIDC = {
  NOTES_OIDC_ISSUER: 'https://id.example.org/realms/team',
  NOTES_OIDC_CLIENT_ID: 'notes',
  NOTES_OIDC_CLIENT_SECRET: 's3cret',
  NOTES_PUBLIC_URL: 'https://notes.example.org',
};

function problems(env: Record<string, string>): string[] {
  try {
    readConfig({ ...BASE, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('OpenID Connect settings (config.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notes-oidc-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is off without an issuer', () => {
    expect(readConfig(BASE).oidc).toBeUndefined();
  });

  it('makes the redirect URI of the public URL; the name defaults to the issuer host', () => {
    expect(readConfig({ ...BASE, ...OIDC }).oidc).toMatchObject({
      clientId: 'notes',
      clientSecret: 's3cret',
      name: 'id.example.org',
      redirectUri: 'https://notes.example.org/users/login/oidc/callback',
      allowHttp: false,
    });
    expect(readConfig({ ...BASE, ...OIDC, NOTES_OIDC_NAME: ' Keycloak ' }).oidc?.name).toBe('Keycloak');
  });

  it('reads the client secret from NOTES_OIDC_CLIENT_SECRET_FILE', () => {
    const file = join(dir, 'oidc-secret');
    writeFileSync(file, 'from-a-file\n');
    const { NOTES_OIDC_CLIENT_SECRET: _, ...rest } = OIDC;
    expect(readConfig({ ...BASE, ...rest, NOTES_OIDC_CLIENT_SECRET_FILE: file }).oidc?.clientSecret).toBe(
      'from-a-file',
    );
  });

  it('names every missing part, one line each', () => {
    expect(problems({ NOTES_OIDC_ISSUER: OIDC.NOTES_OIDC_ISSUER })).toEqual([
      'NOTES_OIDC_CLIENT_ID: is required when NOTES_OIDC_ISSUER is set',
      'NOTES_OIDC_CLIENT_SECRET: is required when NOTES_OIDC_ISSUER is set',
      'NOTES_PUBLIC_URL: is required when NOTES_OIDC_ISSUER is set',
    ]);
    expect(problems({ NOTES_OIDC_CLIENT_ID: 'notes' })).toEqual([
      'NOTES_OIDC_ISSUER: is required when NOTES_OIDC_CLIENT_ID is set',
    ]);
  });

  it('wants https, except for an issuer on loopback', () => {
    expect(problems({ ...OIDC, NOTES_OIDC_ISSUER: 'http://id.example.org' })).toEqual([
      'NOTES_OIDC_ISSUER: must be an https:// URL (http:// only on 127.0.0.1 or localhost)',
    ]);
    expect(readConfig({ ...BASE, ...OIDC, NOTES_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.allowHttp).toBe(
      true,
    );
  });

  it('refuses a public URL with a path and a label with control characters', () => {
    expect(problems({ ...OIDC, NOTES_PUBLIC_URL: 'https://example.org/notes' })).toEqual([
      'NOTES_PUBLIC_URL: must be only scheme, host and port (Notes is served at /)',
    ]);
    expect(problems({ ...OIDC, NOTES_OIDC_NAME: 'a\u0007b' })).toEqual([
      'NOTES_OIDC_NAME: must not contain control characters',
    ]);
  });
});
