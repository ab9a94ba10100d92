import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runSync } from '@notes/testkit/docker';

/** Makes a throwaway self-signed certificate for host names localhost and 127.0.0.1 in `dir`. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  const r = runSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  if (r.status !== 0) throw new Error(`openssl: ${r.stderr}`);
  return { cert, key };
}
