import type { Server } from 'socket.io';
import type { Comment } from '../comments/comment.js';
import { presentComment } from '../comments/comment-presenter.js';
import type { Note } from '../notes/note.js';
import { accessOf, type NoteAccess } from '../notes/note-policy.js';
import { presentNoteListItem, presentNoteUpdate } from '../notes/note-presenter.js';
import { DELIVER, type Delivery, deliverLocally, HOME } from './delivery.js';
import type { LiveEvents, NoteRef } from './events.js';

export { HOME, NOTES } from './delivery.js';

/**
 * LiveEvents over Socket.IO: `/home` gets small list events, `/notes` rooms (one per key) the details,
 * each only for the sockets whose visitor may read the note (delivery.ts). With Redis, every
 * delivery also goes to the other replicas as a server-side event, and each filters its own sockets.
 * Each send is deferred to the next turn of the event loop, so the request that caused it is answered
 * first instead of waiting while the event is written to every local socket (in order: setImmediate
 * runs callbacks first in, first out).
 */
export class Broadcaster implements LiveEvents {
  private readonly listeners: ((delivery: Delivery) => void)[] = [];

  constructor(
    private readonly io: Server,
    private readonly crossReplica: boolean,
  ) {
    if (crossReplica) io.of(HOME).on(DELIVER, (delivery: Delivery) => this.deliver(delivery));
  }

  /** Another namespace's hand-over of every delivery on this replica (e.g. `/collab` rooms). */
  onDelivery(listener: (delivery: Delivery) => void): void {
    this.listeners.push(listener);
  }

  private deliver(delivery: Delivery): void {
    deliverLocally(this.io, delivery);
    for (const listener of this.listeners) listener(delivery);
  }

  private send(delivery: Delivery): void {
    setImmediate(() => {
      this.deliver(delivery);
      if (this.crossReplica) this.io.of(HOME).serverSideEmit(DELIVER, delivery);
    });
  }

  noteCreated(note: Note): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      home: { event: 'notecreated', payload: presentNoteListItem(note) },
    });
  }

  noteUpdated(note: Note, before: NoteAccess): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      before: accessOf(before),
      home: { event: 'noteupdated', payload: presentNoteListItem(note) },
      room: { event: 'noteupdated', payload: presentNoteUpdate(note) },
    });
  }

  noteDestroyed(note: Note): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      home: { event: 'notedestroyed', payload: note.key },
      room: { event: 'notedestroyed', payload: note.key },
    });
  }

  noteAccessChanged(note: NoteRef, before: NoteAccess): void {
    this.send({ key: note.key, access: accessOf(note), before: accessOf(before) });
  }

  commentCreated(note: NoteRef, comment: Comment): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      room: { event: 'newmessage', payload: presentComment(comment) },
    });
  }

  commentUpdated(note: NoteRef, comment: Comment): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      room: { event: 'updatemessage', payload: presentComment(comment) },
    });
  }

  commentDestroyed(note: NoteRef, id: number): void {
    this.send({
      key: note.key,
      access: accessOf(note),
      room: { event: 'destroymessage', payload: { id, key: note.key } },
    });
  }
}
