import { AppError } from '@notes/kit';
import type { LiveEvents } from '../realtime/events.js';
import type { Note, NotePage } from './note.js';
import type { NoteForm } from './note-input.js';
import { generateNoteKey } from './note-key.js';
import type { NoteRepository } from './note-repository.js';

export const STALE_EDIT_MESSAGE =
  'This note was changed by someone else after you opened it. Your text is still below: copy what you need, reload the note, and edit again.';

/** The rules of notes: ownership, keys, optimistic concurrency, live announcements. */
export class NoteService {
  constructor(
    private readonly repo: NoteRepository,
    private readonly events: LiveEvents,
    private readonly pageSize: number,
  ) {}

  async page(page: number): Promise<NotePage> {
    const { notes, hasNext } = await this.repo.page((page - 1) * this.pageSize, this.pageSize);
    return { notes, page, hasNext };
  }

  /** The note, or a 404 AppError. */
  async get(key: string): Promise<Note> {
    const note = await this.repo.find(key);
    if (!note) throw AppError.notFound(`No note with key "${key}"`);
    return note;
  }

  mayChange(note: Note, username: string | undefined): boolean {
    return username !== undefined && note.owner === username;
  }

  /** The note, when `username` may edit or delete it; 404 or 403 otherwise. */
  async getForChange(key: string, username: string): Promise<Note> {
    const note = await this.get(key);
    if (!this.mayChange(note, username))
      throw AppError.forbidden('Only the owner of this note may change it');
    return note;
  }

  async save(form: NoteForm, username: string): Promise<Note> {
    return form.mode === 'create' ? this.create(form, username) : this.update(form, username);
  }

  private async create(form: NoteForm, owner: string): Promise<Note> {
    const given = form.key !== '';
    for (let attempt = 0; attempt < 3; attempt++) {
      const key = given ? form.key : generateNoteKey();
      const note = await this.repo.create({ key, title: form.title, body: form.body, owner });
      if (note) {
        this.events.noteCreated({ key: note.key, title: note.title, owner: note.owner });
        return note;
      }
      if (given)
        throw new AppError('conflict', 'notekey: a note with this key already exists', { field: 'notekey' });
    }
    throw new AppError('internal', 'could not generate a free note key');
  }

  private async update(form: NoteForm, username: string): Promise<Note> {
    await this.getForChange(form.key, username);
    const { result, note } = await this.repo.update(form.key, form.version, {
      title: form.title,
      body: form.body,
    });
    if (result === 'missing') throw AppError.notFound(`No note with key "${form.key}"`);
    if (result === 'stale' || !note) throw AppError.conflict(STALE_EDIT_MESSAGE);
    this.events.noteUpdated({
      key: note.key,
      title: note.title,
      body: note.body,
      version: note.version,
      owner: note.owner,
    });
    return note;
  }

  async destroy(key: string, username: string): Promise<void> {
    await this.getForChange(key, username);
    if (!(await this.repo.destroy(key))) throw AppError.notFound(`No note with key "${key}"`);
    this.events.noteDestroyed(key);
  }
}
