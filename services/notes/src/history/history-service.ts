import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import type { Visitor } from '../notes/note-policy.js';
import type { NoteService } from '../notes/note-service.js';
import type { Revision, RevisionPage } from './revision.js';
import type { RevisionRepository } from './revision-repository.js';

const noRevision = (key: string, number: number) =>
  AppError.notFound(`Note "${key}" has no revision ${number} (it may have been merged away)`);

/** Two revisions to compare: `base` is the older one (null when `revision` is the first kept). */
export interface Comparison {
  note: Note;
  revision: Revision;
  base: Revision | null;
  /** The newest revision's number (to tell whether this one is the current text). */
  latest: number;
}

/**
 * The history of a note (DESIGN 4.8) for whoever may read the note: NoteService.read asks the
 * policy first (a note the visitor may not read is a 404, like a missing one). Restoring goes
 * through NoteService, which records the restore as a new revision.
 */
export class HistoryService {
  constructor(
    private readonly notes: NoteService,
    private readonly revisions: RevisionRepository,
    private readonly pageSize: number,
  ) {}

  async history(key: string, visitor: Visitor, page: number): Promise<{ note: Note; history: RevisionPage }> {
    const note = await this.notes.read(key, visitor);
    const [{ revisions, hasNext }, total] = await Promise.all([
      this.revisions.page(key, (page - 1) * this.pageSize, this.pageSize),
      this.revisions.count(key),
    ]);
    return { note, history: { revisions, page, hasNext, total } };
  }

  /** Revision `number` and the one to compare it with: `against`, or else the one before it. */
  async compare(key: string, visitor: Visitor, number: number, against?: number): Promise<Comparison> {
    const note = await this.notes.read(key, visitor);
    const [revision, base, latest] = await Promise.all([
      this.revisions.find(key, number),
      against === undefined ? this.revisions.before(key, number) : this.revisions.find(key, against),
      this.revisions.latestNumber(key),
    ]);
    if (!revision) throw noRevision(key, number);
    if (against !== undefined && !base) throw noRevision(key, against);
    return { note, revision, base, latest };
  }

  /** Makes revision `number` the newest text, for those who may edit the note. */
  async restore(key: string, visitor: { username: string }, number: number): Promise<Note> {
    await this.notes.forEdit(key, visitor);
    const revision = await this.revisions.find(key, number);
    if (!revision) throw noRevision(key, number);
    return this.notes.restore(key, visitor, revision);
  }
}
