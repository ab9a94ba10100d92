import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import { accessOf, mayShare, type Visitor } from '../notes/note-policy.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { NoteService } from '../notes/note-service.js';
import type { LiveEvents } from '../realtime/events.js';
import type { UserDirectory } from '../users/user-directory.js';
import type { ShareForm } from './share-input.js';

/** The rules of sharing a note with named users: the owner only, names checked against svc-userauth. */
export class ShareService {
  constructor(
    private readonly repo: NoteRepository,
    private readonly notes: NoteService,
    private readonly users: Pick<UserDirectory, 'find'>,
    private readonly events: LiveEvents,
  ) {}

  /** The note with its grants, when the visitor may share it; 404 (may not read) or 403 otherwise. */
  async forShare(key: string, visitor: Visitor): Promise<Note> {
    const note = await this.notes.read(key, visitor);
    if (!mayShare(visitor, note)) throw AppError.forbidden('Only the owner of this note may share it');
    return note;
  }

  async share(form: ShareForm, visitor: Visitor): Promise<Note> {
    const before = await this.forShare(form.key, visitor);
    if (form.username === before.owner)
      throw AppError.invalid('username', 'that is the owner of the note, who may already do everything');
    if (!(await this.users.find(form.username)))
      throw AppError.invalid('username', `there is no user named "${form.username}"`);
    if (!(await this.repo.grant(form.key, form.username, form.role)))
      throw AppError.notFound(`No note with key "${form.key}"`);
    return this.changed(before);
  }

  async unshare(key: string, username: string, visitor: Visitor): Promise<Note> {
    const before = await this.forShare(key, visitor);
    if (!(await this.repo.revoke(key, username)))
      throw AppError.invalid('username', `the note is not shared with "${username}"`);
    return this.changed(before);
  }

  /** Announces the new access facts: sockets of users who lost the note are told at once. */
  private async changed(before: Note): Promise<Note> {
    const grants = await this.repo.grantsOf(before.key);
    const after: Note = { ...before, grants };
    this.events.noteAccessChanged(after, accessOf(before));
    return after;
  }
}
