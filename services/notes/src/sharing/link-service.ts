import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { LinkRepository, ShareLink } from './link-repository.js';

/** 32 random bytes (256 bits), base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The stored form of a token: a high-entropy secret needs no salt or slow hash, sha256 suffices. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const noLink = () => AppError.notFound('This link does not exist or was revoked');

/**
 * Read-only links (DESIGN 4.6): `/s/<token>` shows one note and its comments to anyone holding the
 * token, without a session. The caller (share routes) has checked that the visitor may share.
 */
export class LinkService {
  constructor(
    private readonly links: LinkRepository,
    private readonly notes: NoteRepository,
  ) {}

  /** Makes a link; the token is returned once and only its hash is kept. */
  async create(note: Note, creator: { username: string }): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.links.create({ noteKey: note.key, tokenHash: hashToken(token), createdBy: creator.username });
    return token;
  }

  activeLinks(noteKey: string): Promise<ShareLink[]> {
    return this.links.active(noteKey);
  }

  /** Ends one link (`link` = its id, as the share page posts it) or, without one, every link of the note. */
  async revoke(note: Note, link: unknown): Promise<void> {
    let id: number | undefined;
    if (link !== undefined && link !== '') {
      if (typeof link !== 'string' || !/^\d{1,9}$/.test(link))
        throw AppError.invalid('link', 'must be a link id');
      id = Number(link);
    }
    if ((await this.links.revoke(note.key, id)) === 0 && id !== undefined)
      throw AppError.notFound('This link does not exist or was revoked');
  }

  /** The note a token opens; 404 alike for malformed, unknown and revoked tokens. */
  async open(token: string): Promise<Note> {
    if (!TOKEN_PATTERN.test(token)) throw noLink();
    const link = await this.links.findActive(hashToken(token));
    const note = link ? await this.notes.find(link.noteKey) : null;
    if (!note) throw noLink();
    return note;
  }
}
