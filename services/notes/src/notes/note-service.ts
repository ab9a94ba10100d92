import { AppError } from '@notes/kit';
import type { LiveEvents } from '../realtime/events.js';
import type { Note, NotePage } from './note.js';
import type { NoteForm } from './note-input.js';
import { generateNoteKey } from './note-key.js';
import {
  accessOf,
  mayChangeVisibility,
  mayDelete,
  mayEdit,
  mayRead,
  type Visibility,
  type Visitor,
} from './note-policy.js';
import type { ListFilter } from './note-readable.js';
import type { NoteRepository, Tx } from './note-repository.js';

/**
 * What else a saved change writes, in the same transaction as the note itself: the history
 * (DESIGN 4.8). `restoredFrom` is set when the text is that of an older revision brought back.
 */
export interface ChangeRecorder {
  record(note: Note, author: string, tx: Tx, restoredFrom?: number): Promise<void>;
}

/** A change of a note's text (and, from its form, of its visibility). */
export interface NoteChange {
  title: string;
  body: string;
  visibility?: Visibility;
}

export const STALE_EDIT_MESSAGE =
  'This note was changed by someone else after you opened it. Your text is still below: copy what you need, reload the note, and edit again.';

const notFound = (key: string) => AppError.notFound(`No note with key "${key}"`);
const mayNotEdit = () => AppError.forbidden('Only the owner of this note or its editors may change it');
const notTheOwner = () => AppError.forbidden('Only the owner of this note may do this');

/** The rules of notes: access through the policy, keys, optimistic concurrency, live announcements. */
export class NoteService {
  constructor(
    private readonly repo: NoteRepository,
    private readonly events: LiveEvents,
    private readonly pageSize: number,
    private readonly defaultVisibility: Visibility,
    private readonly history: ChangeRecorder,
  ) {}

  /** One page of the notes the visitor may read (one query: the policy's rule as a WHERE). */
  async page(page: number, visitor: Visitor, filter: ListFilter = 'all'): Promise<NotePage> {
    const { notes, hasNext } = await this.repo.page(
      visitor,
      filter,
      (page - 1) * this.pageSize,
      this.pageSize,
    );
    return { notes, page, hasNext };
  }

  /** The note, when the visitor may read it; a 404 AppError otherwise (existence is not revealed). */
  async read(key: string, visitor: Visitor): Promise<Note> {
    const note = await this.repo.find(key);
    if (!note || !mayRead(visitor, note)) throw notFound(key);
    return note;
  }

  /** The note, when the visitor may edit it; 404 or 403 otherwise. */
  async forEdit(key: string, visitor: Visitor): Promise<Note> {
    const note = await this.read(key, visitor);
    if (!mayEdit(visitor, note)) throw mayNotEdit();
    return note;
  }

  /** The note, when the visitor may delete it; 404 or 403 otherwise. */
  async forDelete(key: string, visitor: Visitor): Promise<Note> {
    const note = await this.read(key, visitor);
    if (!mayDelete(visitor, note)) throw notTheOwner();
    return note;
  }

  async save(form: NoteForm, visitor: { username: string }): Promise<Note> {
    return form.mode === 'create' ? this.create(form, visitor.username) : this.update(form, visitor);
  }

  private async create(form: NoteForm, owner: string): Promise<Note> {
    const given = form.key !== '';
    const visibility = form.visibility ?? this.defaultVisibility;
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = given ? form.key : generateNoteKey();
      const note = await this.repo.inTransaction(async (tx) => {
        const created = await this.repo.create(
          { key, title: form.title, body: form.body, owner, visibility },
          tx,
        );
        if (created) await this.history.record(created, owner, tx);
        return created;
      });
      if (note) {
        this.events.noteCreated(note);
        return note;
      }
      if (given)
        throw new AppError('conflict', 'notekey: a note with this key already exists', { field: 'notekey' });
    }
    throw new AppError('internal', 'could not generate a free note key');
  }

  private async update(form: NoteForm, visitor: { username: string }): Promise<Note> {
    const before = await this.forEdit(form.key, visitor);
    const visibility = form.visibility ?? before.visibility;
    if (visibility !== before.visibility && !mayChangeVisibility(visitor, before))
      throw new AppError('forbidden', 'visibility: only the owner of this note may change who can read it', {
        field: 'visibility',
      });
    return this.commit(before, visitor, form.version, { title: form.title, body: form.body, visibility });
  }

  /**
   * Makes the text of an older revision the newest one (DESIGN 4.8: history is never rewritten),
   * for those who may edit the note. Nothing happens when the note already reads so.
   */
  async restore(
    key: string,
    visitor: { username: string },
    revision: { number: number; title: string; body: string },
  ): Promise<Note> {
    const before = await this.forEdit(key, visitor);
    if (before.title === revision.title && before.body === revision.body) return before;
    const change = { title: revision.title, body: revision.body };
    return this.commit(before, visitor, before.version, change, revision.number);
  }

  /**
   * Saves a change of `before` (a note the visitor may edit, as the caller checked, read at
   * `version`) and records it in the history in the same transaction; announces it live once
   * committed. Refused as stale when the note moved past `version` meanwhile. The one path of every
   * change of a note's text: the edit form, a restore (`restoredFrom`), editing together (4.9).
   */
  private async commit(
    before: Note,
    visitor: { username: string },
    version: number,
    change: NoteChange,
    restoredFrom?: number,
  ): Promise<Note> {
    const { result, note } = await this.repo.inTransaction(async (tx) => {
      const saved = await this.repo.update(
        before.key,
        version,
        { title: change.title, body: change.body, visibility: change.visibility ?? before.visibility },
        tx,
      );
      if (saved.note) await this.history.record(saved.note, visitor.username, tx, restoredFrom);
      return saved;
    });
    if (result === 'missing') throw notFound(before.key);
    if (result === 'stale' || !note) throw AppError.conflict(STALE_EDIT_MESSAGE);
    this.events.noteUpdated(note, accessOf(before));
    return note;
  }

  async destroy(key: string, visitor: Visitor): Promise<void> {
    const note = await this.forDelete(key, visitor);
    if (!(await this.repo.destroy(key))) throw notFound(key);
    this.events.noteDestroyed(note);
  }
}
