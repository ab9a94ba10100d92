import { AppError, type Logger } from '@notes/kit';
import type { Namespace, Socket } from 'socket.io';
import { modifyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type BucketShape, TokenBucket } from '../limits/token-bucket.js';
import { rateLimited } from '../limits/write-limiter.js';
import { parseNoteKey } from '../notes/note-key.js';
import { mayEdit } from '../notes/note-policy.js';
import type { NoteService } from '../notes/note-service.js';
import { answer } from '../realtime/ack.js';
import { payloadObject } from '../realtime/socket-payload.js';
import { socketVisitor } from '../realtime/socket-session.js';
import type { CollabDocs } from './collab-docs.js';
import type { CollabObserver } from './collab-observer.js';
import {
  awarenessClients,
  awarenessRemoval,
  COLLAB_UPDATE_MAX,
  colourOf,
  decodeSync,
  syncStep1,
  syncStep2,
  toBytes,
  toWire,
} from './collab-protocol.js';
import type { CollabService } from './collab-service.js';

/** How long a document stays loaded after its last local socket left (a reload comes back). */
const DROP_AFTER_MS = 5000;

interface Member {
  key: string;
  /** The awareness clients this socket spoke for, with their last clocks (removed when it leaves). */
  clients: Map<number, number>;
}

function message(payload: unknown): Uint8Array {
  const m = toBytes(payloadObject(payload).m);
  if (!m) throw AppError.invalid('m', 'must be binary');
  if (m.byteLength > COLLAB_UPDATE_MAX + 64) throw AppError.tooLarge(COLLAB_UPDATE_MAX);
  return m;
}

/**
 * `/collab` (DESIGN 4.9, the wire in collab-protocol.ts): a socket joins the room of one note once
 * the policy says its visitor may read it; then it syncs (state vectors, updates: editors only) and
 * shares its cursor (awareness, stamped here with the socket's user so nobody speaks for another).
 * Each socket may send `updateLimit.perSecond` updates a second (bursts of `updateLimit.burst`);
 * beyond that an update is refused (`rate_limited`, never stored nor relayed) and its client sends
 * it again, merged with what it typed meanwhile, a little later.
 */
export function setupCollabNamespace(
  ns: Namespace,
  notes: NoteService,
  collab: CollabService,
  docs: CollabDocs,
  logger: Logger,
  updateLimit: BucketShape,
  observer: CollabObserver = {},
): void {
  const dropIfEmpty = (key: string) => {
    setTimeout(() => {
      if ((ns.adapter.rooms.get(key)?.size ?? 0) === 0) docs.drop(key);
    }, DROP_AFTER_MS).unref();
  };

  ns.on('connection', (socket: Socket) => {
    let member: Member | undefined;
    const visitor = socketVisitor(socket);
    const updates = new TokenBucket(updateLimit);
    const refused = (code: string) => observer.refused?.(code);

    const inRoom = (payload: unknown) => {
      const key = parseNoteKey(payloadObject(payload).key);
      if (!member || member.key !== key || !socket.rooms.has(key))
        throw AppError.notFound(`No note with key "${key}"`);
      return key;
    };

    const leave = () => {
      if (!member) return;
      const { key, clients } = member;
      member = undefined;
      if (clients.size > 0) {
        const removal = awarenessRemoval([...clients].map(([clientID, clock]) => ({ clientID, clock })));
        collab.awareness(key, removal, socket.id);
      }
      dropIfEmpty(key);
    };

    socket.on('join', (payload: unknown, ack: unknown) =>
      answer(logger, ack, async () => {
        const key = parseNoteKey(payloadObject(payload).key);
        await notes.read(key, visitor);
        if (member && member.key !== key) {
          await socket.leave(member.key);
          leave();
        }
        await socket.join(key);
        member ??= { key, clients: new Map() };
        try {
          // Asked again once in the room: an access change delivered before the join is not missed.
          const note = await notes.read(key, visitor);
          await collab.doc(key);
          // The others in the note send their cursor and name again, so that this one sees them.
          collab.hello(key, socket.id);
          return { key, mayEdit: mayEdit(visitor, note), user: visitor?.username ?? null };
        } catch (err) {
          await socket.leave(key);
          leave();
          throw err;
        }
      }),
    );

    socket.on('sync', (payload: unknown, ack: unknown) => {
      let step1 = false;
      answer(
        logger,
        ack,
        async () => {
          const key = inRoom(payload);
          let sync: ReturnType<typeof decodeSync>;
          try {
            sync = decodeSync(message(payload));
          } catch (err) {
            if (err instanceof AppError) throw err;
            throw AppError.invalid('m', 'is not a sync message');
          }
          if (sync.type === 'step1') {
            step1 = true;
            const d = await collab.doc(key);
            const update = Y.encodeStateAsUpdate(d.doc, sync.stateVector);
            return { replies: [toWire(syncStep2(update)), toWire(syncStep1(Y.encodeStateVector(d.doc)))] };
          }
          if (!updates.take()) throw rateLimited();
          await collab.receive(key, sync.update, visitor, socket.id);
          return {};
        },
        (code) => {
          if (!step1) refused(code);
        },
      );
    });

    socket.on('awareness', (payload: unknown) => {
      try {
        const key = inRoom(payload);
        const name = visitor?.username ?? 'anonymous';
        const stamped = modifyAwarenessUpdate(message(payload), (state: unknown) =>
          state && typeof state === 'object'
            ? { ...state, user: { name, colour: colourOf(name), anonymous: !visitor } }
            : state,
        );
        for (const { clientID, clock } of awarenessClients(stamped)) member?.clients.set(clientID, clock);
        collab.awareness(key, stamped, socket.id);
      } catch (err) {
        logger.debug({ err }, 'collab awareness refused');
      }
    });

    socket.on('disconnect', leave);
  });
}
