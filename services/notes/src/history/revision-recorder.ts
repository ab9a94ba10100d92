import type { Transaction } from 'sequelize';
import type { Note } from '../notes/note.js';
import type { ChangeRecorder } from '../notes/note-service.js';
import type { RevisionRepository } from './revision-repository.js';
import type { RevisionSettings } from './revision-rules.js';

/**
 * The history's part of every saved change (DESIGN 4.8): NoteService calls it inside the
 * transaction that writes the note, so a change and its revision are stored together or not at all.
 */
export class RevisionRecorder implements ChangeRecorder {
  constructor(
    private readonly revisions: RevisionRepository,
    private readonly settings: RevisionSettings,
  ) {}

  record(note: Note, author: string, tx: Transaction, restoredFrom?: number): Promise<void> {
    return this.revisions.record(
      note.key,
      {
        author,
        title: note.title,
        body: note.body,
        at: note.updatedAt,
        ...(restoredFrom === undefined ? {} : { restoredFrom }),
      },
      this.settings,
      tx,
    );
  }
}
