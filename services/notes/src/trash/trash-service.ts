import { AppError } from '@notes/kit';
import type { Note } from '../notes/note.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { LiveEvents } from '../realtime/events.js';
import type { TrashItem } from './trash-item.js';
import type { TrashedRow, TrashRepository } from './trash-repository.js';

const DAY_MS = 24 * 3600 * 1000;
const notInTrash = () =>
  AppError.notFound('This note is not in your trash (it may have been restored or purged)');

/**
 * The trash (DESIGN 4.8): deleted notes wait there for their owner, who alone sees them, restores
 * them (with comments and history) or deletes them for good, until the purge job removes them
 * NOTES_TRASH_DAYS after deletion.
 */
export class TrashService {
  constructor(
    private readonly trash: TrashRepository,
    private readonly notes: NoteRepository,
    private readonly events: LiveEvents,
    private readonly days: number,
    private readonly pageSize: number,
  ) {}

  get retentionDays(): number {
    return this.days;
  }

  private item(row: TrashedRow): TrashItem {
    return {
      id: row.id,
      title: row.title,
      key: row.trashedKey,
      deletedAt: row.deletedAt,
      purgeAfter: new Date(row.deletedAt.getTime() + this.days * DAY_MS),
    };
  }

  async list(
    owner: { username: string },
    page: number,
  ): Promise<{ items: TrashItem[]; page: number; hasNext: boolean }> {
    const { rows, hasNext } = await this.trash.list(
      owner.username,
      (page - 1) * this.pageSize,
      this.pageSize,
    );
    return { items: rows.map((r) => this.item(r)), page, hasNext };
  }

  async find(owner: { username: string }, id: number): Promise<TrashItem> {
    const row = await this.trash.find(owner.username, id);
    if (!row) throw notInTrash();
    return this.item(row);
  }

  /** Brings the note back (under a new key if its own was taken); announced to the lists. */
  async restore(owner: { username: string }, id: number): Promise<{ note: Note; keyChanged: boolean }> {
    const before = await this.find(owner, id);
    const key = await this.trash.restore(owner.username, id);
    const note = key ? await this.notes.find(key) : null;
    if (!note) throw notInTrash();
    this.events.noteCreated(note);
    return { note, keyChanged: note.key !== before.key };
  }

  /** Deletes one trashed note for good, or (without `id`) the whole trash; how many went. */
  async purge(owner: { username: string }, id?: number): Promise<number> {
    const purged = await this.trash.purge({ owner: owner.username, ...(id !== undefined ? { id } : {}) });
    if (id !== undefined && purged === 0) throw notInTrash();
    return purged;
  }
}
