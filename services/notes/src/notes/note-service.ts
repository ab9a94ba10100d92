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
  type NoteAccess,
  type Visibility,
  type Visitor,
} from './note-policy.js';
import type { ListFilter } from './note-readable.js';
import type { NoteRepository, Tx } from './note-repository.js';
import { setTask } from './task-toggle.js';

/**
 * What else a saved change writes, in the same transaction as the note itself: the history
 * (DESIGN 4.8). `restoredFrom` is set when the text is that of an older revision brought back.
 */
export interface ChangeRecorder {
  record(note: Note, author: string, tx: Tx, restoredFrom?: number): Promise<void>;
}

/** Where a deleted note goes (the trash, DESIGN 4.8); false when the note was gone already. */
export interface NoteBin {
  discard(key: string, by: string): Promise<boolean>;
}

/** A change of a note's text (and, from its form, of its visibility). */
export interface NoteChange {
  title: string;
  body: string;
  visibility?: Visibility;
  /** The form's tags; absent = unchanged. */
  formTags?: string[];
}

/**
 * Where the body of a note goes once people edit it together (DESIGN 4.9): a form save or a restore
 * becomes an update of the shared document, merged with what others type, instead of an overwrite;
 * the document's compaction then saves the merged body here (saveMergedBody).
 */
export interface BodyMerger {
  mergeBody(note: Note, base: string, body: string, author: string): Promise<void>;
}

/** A save whose body is being merged: its compaction is announced and recorded as this save. */
interface MergingSave {
  before: NoteAccess;
  author: string;
  restoredFrom?: number;
}

export const STALE_EDIT_MESSAGE =
  'This note was changed by someone else after you opened it. Your text is still below: copy what you need, reload the note, and edit again.';

export const STALE_TASK_MESSAGE =
  'This note changed since you opened it, so the box was not saved. Reload the note and tick it again.';

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
    private readonly bin: NoteBin,
  ) {}

  private merger: BodyMerger | undefined;
  private readonly merging = new Map<string, MergingSave>();

  /** Bodies are saved through the shared document from now on (wiring: collab). */
  useBodyMerger(merger: BodyMerger): void {
    this.merger = merger;
  }

  /** One page of the notes the visitor may read (one query: the policy's rule as a WHERE). */
  async page(page: number, visitor: Visitor, filter: ListFilter = 'all', tag?: string): Promise<NotePage> {
    const { notes, hasNext, total, totalExact } = await this.repo.page(
      visitor,
      filter,
      (page - 1) * this.pageSize,
      this.pageSize,
      tag,
    );
    return { notes, page, hasNext, total: total ?? (page === 1 ? 0 : undefined), totalExact };
  }

  /** The last page of the list (1 when it is empty): where a page past the end sends the visitor. */
  async lastPage(visitor: Visitor, filter: ListFilter = 'all', tag?: string): Promise<number> {
    return Math.max(1, Math.ceil((await this.repo.count(visitor, filter, tag)) / this.pageSize));
  }

  get listPageSize(): number {
    return this.pageSize;
  }

  /**
   * Every note the visitor may read, a page of `batch` at a time (the export): one query a page,
   * the policy's rule as its WHERE (note-readable.ts), as the list reads.
   */
  async *readableNotes(visitor: Visitor, batch = 50): AsyncGenerator<Note> {
    for (let after = 0; ; ) {
      const rows = await this.repo.readableAfter(visitor, after, batch);
      for (const { note } of rows) yield note;
      if (rows.length < batch) return;
      after = rows.at(-1)!.id;
    }
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
          { key, title: form.title, body: form.body, owner, visibility, formTags: form.tags ?? [] },
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
    return this.saveChange(before, visitor, form.version, {
      title: form.title,
      body: form.body,
      visibility,
      ...(form.tags ? { formTags: form.tags } : {}),
    });
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
    return this.saveChange(before, visitor, before.version, change, revision.number);
  }

  /**
   * Ticks or unticks the `index`-th task of the body (as the page numbers its checkboxes), for those
   * who may edit, as a save of the version the page showed: refused as stale when the note moved on
   * (the box may be another one by now), merged into the shared document when it is being edited.
   */
  async setTask(
    key: string,
    visitor: { username: string },
    version: number,
    index: number,
    done: boolean,
  ): Promise<Note> {
    const before = await this.forEdit(key, visitor);
    if (before.version !== version) throw AppError.conflict(STALE_TASK_MESSAGE);
    const body = setTask(before.body, index, done);
    if (body === null) throw AppError.conflict(STALE_TASK_MESSAGE);
    if (body === before.body) return before;
    return this.saveChange(before, visitor, version, { title: before.title, body });
  }

  /**
   * A save from a form or a restore. Once notes are edited together, a changed body is not written
   * over the shared document: the title and visibility are saved (stale check included, no new
   * version yet), the body's change since `before` becomes an update of the document, and its
   * compaction saves the merged text as the next version (commit) with this save's author.
   */
  private async saveChange(
    before: Note,
    visitor: { username: string },
    version: number,
    change: NoteChange,
    restoredFrom?: number,
  ): Promise<Note> {
    if (!this.merger || change.body === before.body)
      return this.commit(before, visitor, version, change, restoredFrom);
    const { title, visibility = before.visibility, formTags } = change;
    const { result, note } = await this.repo.update(
      before.key,
      version,
      { title, visibility, ...(formTags ? { formTags } : {}) },
      undefined,
      false,
    );
    if (result === 'missing') throw notFound(before.key);
    if (result === 'stale' || !note) throw AppError.conflict(STALE_EDIT_MESSAGE);
    this.merging.set(before.key, {
      before: accessOf(before),
      author: visitor.username,
      ...(restoredFrom !== undefined ? { restoredFrom } : {}),
    });
    try {
      await this.merger.mergeBody(note, before.body, change.body, visitor.username);
    } finally {
      this.merging.delete(before.key);
    }
    const after = await this.repo.find(before.key);
    if (!after) throw notFound(before.key);
    if (after.version !== note.version) return after;
    // Others' typing undid the change meanwhile: the title or visibility still make a version.
    return this.commit(after, visitor, after.version, after, restoredFrom, accessOf(before));
  }

  /**
   * The merged text of the shared document (its compaction, DESIGN 4.9) becomes the body: a new
   * version with a revision, announced like any save. `authors`: who typed what was merged.
   */
  async saveMergedBody(key: string, body: string, authors: string[]): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = await this.repo.find(key);
      if (!before || before.body === body) return;
      const save = this.merging.get(key);
      const author = save?.author ?? authors.at(-1) ?? before.owner;
      try {
        await this.commit(
          before,
          { username: author },
          before.version,
          { title: before.title, body },
          save?.restoredFrom,
          save?.before,
        );
        return;
      } catch (err) {
        // A title saved at the same moment: read the note again and save the body on top.
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      }
    }
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
    announcedBefore: NoteAccess = accessOf(before),
  ): Promise<Note> {
    const { result, note } = await this.repo.inTransaction(async (tx) => {
      const saved = await this.repo.update(
        before.key,
        version,
        {
          title: change.title,
          body: change.body,
          visibility: change.visibility ?? before.visibility,
          ...(change.formTags ? { formTags: change.formTags } : {}),
        },
        tx,
      );
      if (saved.note) await this.history.record(saved.note, visitor.username, tx, restoredFrom);
      return saved;
    });
    if (result === 'missing') throw notFound(before.key);
    if (result === 'stale' || !note) throw AppError.conflict(STALE_EDIT_MESSAGE);
    this.events.noteUpdated(note, announcedBefore);
    return note;
  }

  /**
   * Deleting moves the note to its owner's trash (with its comments and history): gone at once
   * from every list, search and page, announced to open pages as deleted. Resolves with the note
   * as it was (the page names it in its confirmation).
   */
  async destroy(key: string, visitor: { username: string }): Promise<Note> {
    const note = await this.forDelete(key, visitor);
    if (!(await this.bin.discard(key, visitor.username))) throw notFound(key);
    this.events.noteDestroyed(note);
    return note;
  }
}
