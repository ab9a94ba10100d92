import { AppError } from '@notes/kit';
import { unavailableStore } from '../faults/store-fault.js';
import type { Note } from '../notes/note.js';
import type { NoteForm } from '../notes/note-input.js';
import type { NoteService } from '../notes/note-service.js';
import { describeSize, type UploadedFile } from './import-upload.js';
import { FileProblem, noteFileForm } from './note-file.js';
import { ZipProblem, zipEntries } from './zip-entries.js';

export interface ImportLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxUnpackedBytes: number;
}

/** What became of one file: a zip's entries are listed as `zip name/entry name`. */
export type ImportOutcome =
  | { file: string; status: 'imported'; key: string; title: string; wantedKey?: string }
  | { file: string; status: 'failed'; reason: string }
  | { file: string; status: 'skipped'; reason: string };

/** A note file to import: its bytes read only when its turn comes (zip entries unpack then). */
interface Pending {
  file: string;
  read(): Promise<Buffer>;
}

const isNoteFile = (name: string) => /\.(md|markdown)$/i.test(name);
const isZip = (name: string) => /\.zip$/i.test(name);

/**
 * Import of `.md` files and zips of them (DESIGN 4.7). Each file is its own note and its own
 * transaction: a bad file is reported (which and why) and nothing of it is saved, while the good
 * files of the same import are imported; only limits of the whole import (how many files) refuse
 * all of it, before anything is saved. Every note goes through NoteService's save like one typed
 * in the add form, so history, tags, the search index and the live list see it at once; the
 * importing user owns it, and its key is kept when free, else a new one is made.
 */
export class ImportService {
  constructor(
    private readonly notes: NoteService,
    private readonly limits: ImportLimits,
  ) {}

  async importFiles(files: readonly UploadedFile[], user: { username: string }): Promise<ImportOutcome[]> {
    const outcomes: Array<ImportOutcome | Pending> = [];
    const closers: Array<() => void> = [];
    try {
      let unpacked = 0;
      for (const upload of files) {
        if (upload.tooLarge) outcomes.push(this.tooLarge(upload.name));
        else if (isNoteFile(upload.name)) outcomes.push({ file: upload.name, read: async () => upload.data });
        else if (isZip(upload.name)) {
          const listed = await this.fromZip(upload, this.limits.maxUnpackedBytes - unpacked);
          if ('close' in listed) {
            closers.push(listed.close);
            unpacked += listed.unpacked;
            outcomes.push(...listed.items);
          } else outcomes.push(listed);
        } else
          outcomes.push({
            file: upload.name,
            status: 'failed',
            reason: 'is not a .md file or a .zip of them',
          });
      }
      const count = outcomes.filter((o) => 'read' in o).length;
      if (count > this.limits.maxFiles)
        throw new AppError(
          'too_large',
          `files: an import takes at most ${this.limits.maxFiles} note files; this one has ${count}: import fewer at a time`,
          { field: 'files' },
        );
      const done: ImportOutcome[] = [];
      for (const item of outcomes) done.push('read' in item ? await this.importOne(item, user) : item);
      return done;
    } finally {
      for (const close of closers) close();
    }
  }

  private tooLarge(file: string): ImportOutcome {
    return {
      file,
      status: 'failed',
      reason: `is larger than ${describeSize(this.limits.maxFileBytes)}, the most one note file may be`,
    };
  }

  /** The note files of a zip (names and declared sizes checked before anything is unpacked). */
  private async fromZip(
    upload: UploadedFile,
    room: number,
  ): Promise<ImportOutcome | { items: Array<ImportOutcome | Pending>; unpacked: number; close(): void }> {
    let zip: Awaited<ReturnType<typeof zipEntries>>;
    try {
      // Room for folders and other files beside the note files; past it the archive is refused.
      zip = await zipEntries(upload.data, 2 * this.limits.maxFiles + 100);
    } catch (err) {
      if (err instanceof ZipProblem) return { file: upload.name, status: 'failed', reason: err.message };
      throw err;
    }
    const notes = zip.entries.filter((e) => isNoteFile(e.name));
    const unpacked = notes.reduce((sum, e) => sum + Math.min(e.size, this.limits.maxFileBytes + 1), 0);
    if (unpacked > room) {
      zip.close();
      return {
        file: upload.name,
        status: 'failed',
        reason: `would unpack to more than ${describeSize(this.limits.maxUnpackedBytes)}, the most one import may unpack`,
      };
    }
    const items = zip.entries.map((entry): ImportOutcome | Pending => {
      const file = `${upload.name}/${entry.name}`;
      if (!isNoteFile(entry.name)) return { file, status: 'skipped', reason: 'is not a .md file' };
      if (entry.size > this.limits.maxFileBytes) return this.tooLarge(file);
      return { file, read: entry.read };
    });
    return { items, unpacked, close: zip.close };
  }

  private async importOne(item: Pending, user: { username: string }): Promise<ImportOutcome> {
    try {
      const form = noteFileForm(item.file, await item.read());
      const { note, wantedKey } = await this.save(form, user);
      return {
        file: item.file,
        status: 'imported',
        key: note.key,
        title: note.title,
        ...(wantedKey ? { wantedKey } : {}),
      };
    } catch (err) {
      if (err instanceof FileProblem || err instanceof ZipProblem)
        return { file: item.file, status: 'failed', reason: err.message };
      if (err instanceof AppError && err.status < 500)
        return { file: item.file, status: 'failed', reason: err.message };
      if (unavailableStore(err) || (err instanceof AppError && err.code === 'unavailable'))
        return {
          file: item.file,
          status: 'failed',
          reason: 'could not be saved: the database is unavailable; import it again',
        };
      throw err;
    }
  }

  /** Saves with the file's key when it is free; a taken key (by any note, trash included) gets a new one. */
  private async save(
    form: NoteForm,
    user: { username: string },
  ): Promise<{ note: Note; wantedKey?: string }> {
    try {
      return { note: await this.notes.save(form, user) };
    } catch (err) {
      if (!(form.key !== '' && err instanceof AppError && err.code === 'conflict')) throw err;
      return { note: await this.notes.save({ ...form, key: '' }, user), wantedKey: form.key };
    }
  }
}
