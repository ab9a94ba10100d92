import type { Logger } from '@notes/kit';
import * as Y from 'yjs';
import type { NoteAccess } from '../notes/note-policy.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { CollabRepository } from './collab-repository.js';
import { initialState } from './collab-text.js';

/** A note's document as this replica holds it while someone is in the note. */
export interface LoadedDoc {
  key: string;
  doc: Y.Doc;
  /** The note's access facts, kept current by the live deliveries (DESIGN 4.6). */
  access: NoteAccess;
  /** The log rows already applied here (by this replica, a relay or a catch-up). */
  applied: Set<number>;
  /** The stored state's compaction count when it was last applied here. */
  seq: number;
}

/**
 * The documents loaded on this replica, one per note with people in it. A document is the stored
 * state plus every logged update; it is dropped when its last local socket leaves. `catchUp`
 * applies what this replica missed (a relay lost between replicas, a compaction elsewhere).
 */
export class CollabDocs {
  private readonly docs = new Map<string, Promise<LoadedDoc>>();

  constructor(
    private readonly repo: CollabRepository,
    private readonly notes: NoteRepository,
    private readonly logger: Logger,
  ) {}

  /** The loaded document of `key`, loading it first; null when the note is gone. */
  get(key: string): Promise<LoadedDoc | null> {
    const loaded = this.docs.get(key);
    if (loaded) return loaded;
    const loading = this.load(key);
    const held = loading.then((d) => {
      if (!d) throw new Error('gone');
      return d;
    });
    held.catch(() => this.docs.delete(key));
    this.docs.set(key, held);
    return loading;
  }

  /** The document if it is loaded (or loading) here; relays for other notes are ignored. */
  peek(key: string): Promise<LoadedDoc> | undefined {
    return this.docs.get(key);
  }

  keys(): string[] {
    return [...this.docs.keys()];
  }

  get size(): number {
    return this.docs.size;
  }

  drop(key: string): void {
    const loaded = this.docs.get(key);
    if (!loaded) return;
    this.docs.delete(key);
    loaded.then((d) => d.doc.destroy()).catch(() => {});
  }

  /** The stored state of a note, made from its body the first time (one replica's copy wins). */
  async storedState(key: string): Promise<{ state: Uint8Array; seq: number } | null> {
    const stored = await this.repo.state(key);
    if (stored) return stored;
    const note = await this.notes.find(key);
    if (!note) return null;
    if (await this.repo.createState(key, initialState(note.body)))
      this.logger.debug({ key }, 'collab state created');
    return this.repo.state(key);
  }

  private async load(key: string): Promise<LoadedDoc | null> {
    const note = await this.notes.find(key);
    if (!note) return null;
    const stored = await this.storedState(key);
    if (!stored) return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.state);
    const log = await this.repo.log(key);
    doc.transact(() => {
      for (const row of log) Y.applyUpdate(doc, row.data);
    });
    return { key, doc, access: note, applied: new Set(log.map((r) => r.id)), seq: stored.seq };
  }

  /**
   * Applies the logged rows this replica has not seen and a newer compacted state; resolves with
   * what changed here (to hand to local sockets), or null when nothing did.
   */
  async catchUp(d: LoadedDoc): Promise<Uint8Array | null> {
    const before = Y.encodeStateVector(d.doc);
    const ids = await this.repo.logIds(d.key);
    const missing = ids.filter((id) => !d.applied.has(id));
    const rows = await this.repo.logRows(missing);
    const seq = await this.repo.seq(d.key);
    const stored = seq !== null && seq !== d.seq ? await this.repo.state(d.key) : null;
    d.doc.transact(() => {
      if (stored) Y.applyUpdate(d.doc, stored.state);
      for (const row of rows) Y.applyUpdate(d.doc, row.data);
    }, 'catch-up');
    if (stored) d.seq = stored.seq;
    const present = new Set(ids);
    for (const id of d.applied) if (!present.has(id)) d.applied.delete(id);
    for (const row of rows) d.applied.add(row.id);
    const diff = Y.encodeStateAsUpdate(d.doc, before);
    return diff.byteLength > 2 ? diff : null;
  }
}
