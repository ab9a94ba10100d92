import { randomBytes } from 'node:crypto';

const MAX_BASE = 56;
const NUMBERED = 20;

/**
 * A valid username made of what a person would like to be called: the local part of an e-mail
 * address, accents dropped, other characters outside `A-Z a-z 0-9 . _ -` removed; "user" if
 * nothing is left.
 */
export function usernameBase(wanted: string): string {
  const local = wanted.includes('@') ? wanted.slice(0, wanted.lastIndexOf('@')) : wanted;
  const base = local
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, '.')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, MAX_BASE);
  return base || 'user';
}

/** Names to try in turn for a new third-party user: base, base-2 … base-20, then random suffixes. */
export function* usernameCandidates(wanted: string): Generator<string> {
  const base = usernameBase(wanted);
  yield base;
  for (let n = 2; n <= NUMBERED; n++) yield `${base}-${n}`;
  for (let n = 0; n < 5; n++) yield `${base}-${randomBytes(3).toString('hex')}`;
}
