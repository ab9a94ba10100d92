import type { Socket } from 'socket.io-client';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  COLLAB_UPDATE_MAX,
  decodeSync,
  isEmptyUpdate,
  syncStep1,
  syncUpdate,
  toBytes,
} from './collab-protocol.js';

/**
 * What the page tells its user (DESIGN 4.9): `saved` only when every local change was acknowledged
 * (stored in the log); `saving` while some are on their way; `offline` while the socket is away
 * (changes kept, sent when it returns); `refused` when the server refused a change (`error` says why).
 */
export type SaveState = 'connecting' | 'saved' | 'saving' | 'offline' | 'refused' | 'unavailable';

/** Refusals after which the change is kept and sent again (all others are final). */
const RETRYABLE = new Set(['rate_limited', 'unavailable']);

interface Answer {
  ok: boolean;
  error?: { code: string; message: string };
  [k: string]: unknown;
}

export interface CollabClientOptions {
  /** Resync the state vector this often (an update lost between replicas is repaired). */
  resyncMs?: number;
  /** How long one acknowledgement may take before the update is sent again with the next sync. */
  ackTimeoutMs?: number;
  /** After a refusal that says "later" (rate_limited, unavailable), send again after this long. */
  retryMs?: number;
  onState?: (state: SaveState, error?: string) => void;
}

/**
 * One note's shared document over a `/collab` socket: the browser editor and the headless test
 * clients use this same class. Local changes are sent one batch at a time (the next once the
 * previous is acknowledged: natural flow control), kept until acknowledged, and sent again after a
 * reconnect; the socket's reconnects (any replica) rejoin and resync.
 */
export class CollabClient {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  mayEdit = false;
  user: string | null = null;
  state: SaveState = 'connecting';
  error: string | undefined;
  /** How many local updates the server acknowledged (stored), in the order they were made. */
  acknowledged = 0;
  /** Local updates not yet acknowledged, oldest first. */
  private pending: Uint8Array[] = [];
  /** Whether each of `pending` was typed here (not a repair resent from what the server sent). */
  private typed: boolean[] = [];
  /** How many of `pending` are on their way in one message. */
  private inFlight = 0;
  private joined = false;
  private stopped = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** A send again after a refusal that said "later" (rate_limited, unavailable). */
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    if (!this.mayEdit && this.joined) return;
    this.pending.push(update);
    this.typed.push(true);
    this.flush();
  };
  private readonly onAwareness = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => {
    if (origin !== 'local' || !this.joined) return;
    const ids = [...changes.added, ...changes.updated, ...changes.removed];
    this.socket.emit('awareness', { key: this.key, m: encodeAwarenessUpdate(this.awareness, ids) });
  };

  constructor(
    readonly socket: Socket,
    readonly key: string,
    private readonly options: CollabClientOptions = {},
    doc?: Y.Doc,
  ) {
    this.doc = doc ?? new Y.Doc();
    this.awareness = new Awareness(this.doc);
    // Its first state has clock 0, which others take for "already known" and ignore: tick once.
    this.awareness.setLocalState({});
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwareness);
    socket.on('connect', () => void this.join());
    socket.on('disconnect', () => {
      this.joined = false;
      this.inFlight = 0;
      this.setState('offline');
    });
    socket.on('sync', (p: { key: string; m: unknown }) => {
      const m = toBytes(p.m);
      if (p.key !== this.key || !m) return;
      try {
        const sync = decodeSync(m);
        if (sync.type !== 'step1') Y.applyUpdate(this.doc, sync.update, this);
      } catch (err) {
        console.error('collab: sync', m.byteLength, m.slice(0, 16), err);
      }
    });
    socket.on('awareness', (p: { key: string; m: unknown }) => {
      const m = toBytes(p.m);
      if (p.key !== this.key || !m) return;
      try {
        applyAwarenessUpdate(this.awareness, m, this);
      } catch (err) {
        console.error('collab: awareness', m.byteLength, m.slice(0, 16), err);
      }
    });
    socket.on('awareness-hello', (p: { key: string }) => {
      if (p.key === this.key && this.joined && this.awareness.getLocalState() !== null)
        this.socket.emit('awareness', {
          key: this.key,
          m: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]),
        });
    });
    socket.on('noteunavailable', () =>
      this.setState('unavailable', 'This note is no longer shared with you'),
    );
    socket.on('notedestroyed', () => this.setState('unavailable', 'This note was deleted'));
    if (socket.connected) void this.join();
    const resyncMs = options.resyncMs ?? 10_000;
    if (resyncMs > 0) this.timer = setInterval(() => void this.resync(), resyncMs);
  }

  get text(): Y.Text {
    return this.doc.getText('body');
  }

  /** True when nothing typed here is waiting for the server. */
  get allSaved(): boolean {
    return this.joined && this.pending.length === 0;
  }

  /**
   * Whether changes typed here have not reached the server yet (what leaving would lose). Unlike
   * allSaved, neither a socket not joined yet nor a repair being resent (what the server's state
   * vector lacked, right after a load) is an unsaved change: leaving then loses nothing typed.
   */
  get hasUnsavedChanges(): boolean {
    return this.typed.includes(true);
  }

  private setState(state: SaveState, error?: string) {
    // Both stay until the page is reloaded: a refused change is never reported as saved later.
    if (this.state === 'unavailable' || (this.state === 'refused' && state !== 'unavailable')) return;
    this.state = state;
    this.error = error;
    this.options.onState?.(state, error);
  }

  private refreshState() {
    if (!this.socket.connected) this.setState('offline');
    else if (this.joined) this.setState(this.pending.length === 0 ? 'saved' : 'saving');
  }

  private async ask(event: string, payload: unknown): Promise<Answer> {
    return (await this.socket
      .timeout(this.options.ackTimeoutMs ?? 10_000)
      .emitWithAck(event, payload)) as Answer;
  }

  private async join(): Promise<void> {
    if (this.stopped) return;
    try {
      const answer = await this.ask('join', { key: this.key });
      if (!answer.ok) {
        this.setState('unavailable', answer.error?.message);
        return;
      }
      this.mayEdit = answer.mayEdit === true;
      this.user = typeof answer.user === 'string' ? answer.user : null;
      this.joined = true;
      if (!this.mayEdit) {
        this.pending = [];
        this.typed = [];
      }
      await this.resync();
      if (this.awareness.getLocalState() !== null)
        this.socket.emit('awareness', {
          key: this.key,
          m: encodeAwarenessUpdate(this.awareness, [this.doc.clientID]),
        });
    } catch {
      // No answer in time: the socket reconnects or the next resync tries again.
    }
  }

  /** Step 1 both ways: takes what the server has, sends what it lacks (or the pending changes). */
  async resync(): Promise<void> {
    if (!this.joined || this.stopped) return;
    try {
      const answer = await this.ask('sync', { key: this.key, m: syncStep1(Y.encodeStateVector(this.doc)) });
      if (!answer.ok || !Array.isArray(answer.replies)) return;
      let serverVector: Uint8Array | undefined;
      for (const reply of answer.replies) {
        const m = toBytes(reply);
        if (!m) continue;
        const sync = decodeSync(m);
        if (sync.type === 'step1') serverVector = sync.stateVector;
        else Y.applyUpdate(this.doc, sync.update, this);
      }
      if (this.mayEdit && serverVector && this.pending.length === 0) {
        const missing = Y.encodeStateAsUpdate(this.doc, serverVector);
        if (!isEmptyUpdate(missing)) {
          this.pending.push(missing);
          this.typed.push(false);
        }
      }
      this.flush();
      this.refreshState();
    } catch {
      // Retried by the next resync or reconnect.
    }
  }

  /** Sends the oldest pending changes (as many as fit in one message) unless some are on their way. */
  private flush(): void {
    if (
      !this.joined ||
      this.inFlight > 0 ||
      this.retry ||
      this.pending.length === 0 ||
      !this.socket.connected
    ) {
      this.refreshState();
      return;
    }
    let n = 0;
    let size = 0;
    while (
      n < this.pending.length &&
      (n === 0 || size + (this.pending[n]?.byteLength ?? 0) <= COLLAB_UPDATE_MAX)
    ) {
      size += this.pending[n]?.byteLength ?? 0;
      n++;
    }
    const batch = n === 1 ? (this.pending[0] as Uint8Array) : Y.mergeUpdates(this.pending.slice(0, n));
    this.inFlight = n;
    this.setState('saving');
    this.ask('sync', { key: this.key, m: syncUpdate(batch) }).then(
      (answer) => {
        if (this.inFlight !== n) return;
        this.inFlight = 0;
        if (answer.ok) {
          this.pending.splice(0, n);
          this.typed.splice(0, n);
          this.acknowledged += n;
          this.flush();
          return;
        }
        if (RETRYABLE.has(answer.error?.code ?? '')) {
          // Too many at once, or the store away for a moment: kept and sent again a little later
          // (merged with what is typed meanwhile), after a resync.
          this.retryLater();
          return;
        }
        // Refused (not an editor any more, too large): kept locally, never reported as saved.
        this.pending.splice(0, n);
        this.typed.splice(0, n);
        this.setState('refused', answer.error?.message ?? 'This change was refused');
      },
      () => {
        // No acknowledgement in time: kept; sent again with the next flush.
        if (this.inFlight === n) this.inFlight = 0;
        this.refreshState();
      },
    );
  }

  private retryLater(): void {
    if (this.retry || this.stopped) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.resync().then(() => this.flush());
    }, this.options.retryMs ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.retry) clearTimeout(this.retry);
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwareness);
    this.awareness.destroy();
  }
}
