import { AppError, type Logger } from '@notes/kit';
import type { Namespace } from 'socket.io';
import * as Y from 'yjs';
import type { Note } from '../notes/note.js';
import { BODY_LIMIT_TEXT, BODY_MAX } from '../notes/note-input.js';
import { mayEdit, type NoteAccess, type Visitor } from '../notes/note-policy.js';
import type { CollabCompactor } from './collab-compactor.js';
import type { CollabDocs, LoadedDoc } from './collab-docs.js';
import type { CollabObserver } from './collab-observer.js';
import {
  BODY_TEXT,
  COLLAB_UPDATE_MAX,
  isEmptyUpdate,
  syncUpdate,
  toBytes,
  toWire,
} from './collab-protocol.js';
import type { CollabRepository } from './collab-repository.js';
import { applyChange, docFrom } from './collab-text.js';
import { type BatchItem, UpdateBatcher } from './collab-update-batcher.js';

/** The server-to-server event that carries a stored update or an awareness change to the other replicas. */
export const COLLAB_RELAY = 'collab:relay';

export interface Relay {
  key: string;
  /** The log rows of an update: those merged into `m` (absent for awareness). */
  ids?: number[];
  kind: 'update' | 'awareness' | 'hello';
  /** The bytes, base64 (server-side events travel as JSON between replicas). */
  m: string;
  /** The socket it came from (not sent back to it). */
  from?: string;
}

/** An update on its way into the log: where it goes once stored. */
interface Incoming extends BatchItem {
  /** The document loaded here (absent for a form save of a note nobody has open here). */
  doc: LoadedDoc | undefined;
  /** The socket it came from (not sent back to it). */
  from?: string;
}

const notFound = (key: string) => AppError.notFound(`No note with key "${key}"`);

/**
 * The shared documents of notes: an editor's update is checked (policy, size, well-formed), stored
 * in the log, applied here, handed to this replica's sockets in the note and relayed once to the
 * others, which apply it without storing it again; compaction follows after a pause.
 */
export class CollabService {
  private catchUpTimer: NodeJS.Timeout | undefined;
  private readonly batcher: UpdateBatcher<Incoming>;

  constructor(
    private readonly ns: Namespace,
    private readonly docs: CollabDocs,
    private readonly repo: CollabRepository,
    private readonly compactor: CollabCompactor,
    private readonly crossReplica: boolean,
    private readonly logger: Logger,
    catchUpMs: number,
    private readonly observer: CollabObserver = {},
  ) {
    this.batcher = new UpdateBatcher<Incoming>(
      (items) => this.repo.appendMany(items),
      (stored, seconds) => {
        this.observer.stored?.(stored.length, seconds);
        this.spread(stored);
      },
      (err) => this.logger.warn({ err }, 'collab: stored updates not handed on here (catch-up repairs)'),
    );
    if (crossReplica) ns.on(COLLAB_RELAY, (relay: Relay) => this.received(relay));
    if (catchUpMs > 0) {
      this.catchUpTimer = setInterval(() => this.catchUpAll(), catchUpMs);
      this.catchUpTimer.unref();
    }
  }

  async doc(key: string): Promise<LoadedDoc> {
    const d = await this.docs.get(key);
    if (!d) throw notFound(key);
    return d;
  }

  /** Stores and spreads one update from `visitor` (an editor of the note); resolves once it is stored. */
  async receive(key: string, update: Uint8Array, visitor: Visitor, from: string): Promise<void> {
    const d = await this.doc(key);
    if (!mayEdit(visitor, d.access) || !visitor)
      throw AppError.forbidden('Only the owner of this note or its editors may change it');
    if (update.byteLength > COLLAB_UPDATE_MAX) throw AppError.tooLarge(COLLAB_UPDATE_MAX);
    try {
      Y.decodeUpdate(update);
    } catch {
      throw AppError.invalid('update', 'is not a Yjs update');
    }
    if (isEmptyUpdate(update)) return;
    if (d.doc.getText(BODY_TEXT).length > BODY_MAX)
      throw AppError.invalid('body', `must be at most ${BODY_LIMIT_TEXT}`);
    await this.batcher.add({ key, data: update, author: visitor.username, doc: d, from });
  }

  /** Spreads an awareness update (already stamped with its user) to the note's sockets everywhere. */
  awareness(key: string, m: Uint8Array, from: string): void {
    const wire = toWire(m);
    this.ns.local.to(key).except(from).emit('awareness', { key, m: wire });
    if (this.crossReplica) this.ns.serverSideEmit(COLLAB_RELAY, { key, kind: 'awareness', m: wire, from });
  }

  /** Someone joined `key`: everyone else there sends their awareness state again. */
  hello(key: string, from: string): void {
    this.ns.local.to(key).except(from).emit('awareness-hello', { key });
    if (this.crossReplica) this.ns.serverSideEmit(COLLAB_RELAY, { key, kind: 'hello', m: '', from });
  }

  /** The access facts of a note changed: documents loaded here check edits against the new ones. */
  accessChanged(key: string, access: NoteAccess): void {
    this.docs
      .peek(key)
      ?.then((d) => {
        d.access = access;
      })
      .catch(() => {});
  }

  /**
   * A form save of the body (no JavaScript, or an old page): applied to the shared document as
   * one replacement of the part that changed since `base` (the body the form was opened with), so
   * what others typed meanwhile elsewhere stays; then compacted at once so the note shows it.
   */
  async mergeBody(note: Note, base: string, body: string, author: string): Promise<void> {
    const stored = await this.docs.storedState(note.key);
    if (!stored) throw notFound(note.key);
    const log = await this.repo.log(note.key);
    // The change is made on the stored state (whose text is `base`: the form was not stale), as an
    // update concurrent with the logged ones, which Yjs merges with it.
    const doc = docFrom([stored.state]);
    const before = Y.encodeStateVector(doc);
    applyChange(doc.getText(BODY_TEXT), base, body);
    const update = Y.encodeStateAsUpdate(doc, before);
    doc.destroy();
    if (!isEmptyUpdate(update)) {
      const loaded = this.docs.peek(note.key);
      const doc = loaded ? await loaded.catch(() => undefined) : undefined;
      await this.batcher.add({ key: note.key, data: update, author, doc });
    }
    if (log.length > 0 || !isEmptyUpdate(update)) await this.compactor.compactNow(note.key);
  }

  /**
   * A stored batch: per note, its updates merged into one, applied here, handed to this replica's
   * sockets in the note as one message (to the sender too when several came together: Yjs ignores
   * what it has) and relayed to the other replicas as one event; then compaction after a pause.
   */
  private spread(stored: readonly { item: Incoming; id: number }[]): void {
    const byNote = new Map<string, { item: Incoming; id: number }[]>();
    for (const s of stored) {
      const rows = byNote.get(s.item.key);
      if (rows) rows.push(s);
      else byNote.set(s.item.key, [s]);
    }
    for (const [key, rows] of byNote) {
      const ids = rows.map((r) => r.id);
      const update = rows.length === 1 ? rows[0]!.item.data : Y.mergeUpdates(rows.map((r) => r.item.data));
      const doc = rows.find((r) => r.item.doc)?.item.doc;
      if (doc) this.apply(doc, ids, update, rows.length === 1 ? rows[0]!.item.from : undefined);
      if (this.crossReplica)
        this.ns.serverSideEmit(COLLAB_RELAY, { key, ids, kind: 'update', m: toWire(update) });
      this.compactor.schedule(key);
    }
  }

  /** Applies logged rows `ids` (merged into `update`) unless all were, and hands them to the room. */
  private apply(d: LoadedDoc, ids: number[], update: Uint8Array, except?: string): void {
    if (ids.every((id) => d.applied.has(id))) return;
    for (const id of ids) d.applied.add(id);
    Y.applyUpdate(d.doc, update, 'log');
    const room = this.ns.local.to(d.key);
    (except ? room.except(except) : room).emit('sync', { key: d.key, m: toWire(syncUpdate(update)) });
  }

  private received(relay: Relay): void {
    if (relay.kind === 'hello') {
      this.ns.local.to(relay.key).emit('awareness-hello', { key: relay.key });
      return;
    }
    if (typeof relay.m !== 'string') return;
    if (relay.kind === 'awareness') {
      this.ns.local.to(relay.key).emit('awareness', { key: relay.key, m: relay.m });
      return;
    }
    const loaded = this.docs.peek(relay.key);
    const ids = relay.ids;
    if (!loaded || !Array.isArray(ids)) return;
    const m = toBytes(relay.m);
    if (!m) return;
    loaded.then((d) => this.apply(d, ids, m)).catch(() => {});
  }

  private catchUpAll(): void {
    for (const key of this.docs.keys()) {
      this.docs
        .peek(key)
        ?.then(async (d) => {
          const diff = await this.docs.catchUp(d);
          if (diff) this.ns.local.to(key).emit('sync', { key, m: toWire(syncUpdate(diff)) });
        })
        .catch((err: unknown) => this.logger.warn({ err, key }, 'collab catch-up failed'));
    }
  }

  close(): void {
    if (this.catchUpTimer) clearInterval(this.catchUpTimer);
    this.compactor.close();
  }
}
