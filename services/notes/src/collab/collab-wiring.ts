import type { Logger } from '@notes/kit';
import type { Sequelize } from 'sequelize';
import type { Server } from 'socket.io';
import type { NotesConfig } from '../config.js';
import type { NoteRepository } from '../notes/note-repository.js';
import type { NoteService } from '../notes/note-service.js';
import type { Broadcaster } from '../realtime/broadcaster.js';
import { deliverRoom } from '../realtime/delivery.js';
import { CollabCompactor } from './collab-compactor.js';
import { CollabDocs } from './collab-docs.js';
import { collabLock } from './collab-lock.js';
import { setupCollabNamespace } from './collab-namespace.js';
import type { CollabObserver } from './collab-observer.js';
import { COLLAB } from './collab-protocol.js';
import { CollabRepository } from './collab-repository.js';
import { CollabService } from './collab-service.js';

type RedisMain = Parameters<typeof collabLock>[0];

/** Editing together as the rest of svc-notes sees it: stopped with the server, watched by the metrics. */
export interface CollabWiring {
  close(): void;
  /** Documents loaded on this replica now. */
  loadedDocs(): number;
  /** Hooks the metrics in (collab-observer.ts). */
  observe(observer: CollabObserver): void;
}

/**
 * Editing together (DESIGN 4.9) on this replica: the `/collab` namespace, its documents, the
 * compaction, and the note service saving bodies through the shared document. The live deliveries
 * of the other features reach `/collab` rooms too: a socket whose visitor may no longer read the
 * note leaves its room, and loaded documents check edits against the new access facts.
 */
export function wireCollab(deps: {
  config: NotesConfig;
  logger: Logger;
  db: Sequelize;
  io: Server;
  redis: RedisMain | undefined;
  noteRepository: NoteRepository;
  notes: NoteService;
  events: Broadcaster;
}): CollabWiring {
  const { config, logger } = deps;
  const observer: CollabObserver = {};
  const ns = deps.io.of(COLLAB);
  const repo = new CollabRepository(deps.db);
  const docs = new CollabDocs(repo, deps.noteRepository, logger);
  const compactor = new CollabCompactor(
    repo,
    deps.notes,
    collabLock(deps.redis, config.NOTES_REDIS_PREFIX),
    { idleMs: config.NOTES_COLLAB_COMPACT_IDLE_MS, maxDelayMs: config.NOTES_COLLAB_COMPACT_MAX_MS },
    logger,
    observer,
  );
  const collab = new CollabService(
    ns,
    docs,
    repo,
    compactor,
    deps.redis !== undefined,
    logger,
    config.NOTES_COLLAB_CATCHUP_MS,
    observer,
  );
  deps.notes.useBodyMerger(collab);
  deps.events.onDelivery((d) => {
    deliverRoom(ns, { key: d.key, access: d.access });
    collab.accessChanged(d.key, d.access);
    if (d.room?.event === 'notedestroyed') {
      ns.local.to(d.key).emit('notedestroyed', d.key);
      docs.drop(d.key);
    }
  });
  setupCollabNamespace(
    ns,
    deps.notes,
    collab,
    docs,
    logger,
    { perSecond: config.NOTES_COLLAB_UPDATE_LIMIT_PER_SECOND, burst: config.NOTES_COLLAB_UPDATE_LIMIT_BURST },
    observer,
  );
  return {
    close: () => collab.close(),
    loadedDocs: () => docs.size,
    observe: (o) => {
      Object.assign(observer, o);
    },
  };
}
