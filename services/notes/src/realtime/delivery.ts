import type { Namespace, Server } from 'socket.io';
import { mayRead, type NoteAccess } from '../notes/note-policy.js';
import { socketVisitor } from './socket-session.js';

export const HOME = '/home';
export const NOTES = '/notes';

/** The server-to-server event that carries a Delivery to every other replica (through Redis). */
export const DELIVER = 'notes:deliver';

/** Tells a page that it may no longer read the note (its visibility or a grant changed). */
export const NOTE_UNAVAILABLE = 'noteunavailable';

/**
 * One live event about one note, with the note's access facts. It travels whole to every replica;
 * each replica hands it only to its own sockets whose visitor may read the note (the policy, asked
 * per socket on the receiving side), so that no event about a note ever reaches a socket that may
 * not read it, wherever the socket is connected.
 */
export interface Delivery {
  key: string;
  access: NoteAccess;
  /** The access facts before a change: readers who lost the note are told so. */
  before?: NoteAccess;
  /** For every `/home` socket whose visitor may read the note. */
  home?: { event: string; payload: unknown };
  /** For the sockets in the note's `/notes` room whose visitor may read the note. */
  room?: { event: string; payload: unknown };
}

/**
 * Hands a delivery to this replica's sockets. `/home`: readers get `home`; those who could read the
 * note before the change and no longer may get `noteunavailable`; nobody else hears of it. `/notes`:
 * every socket in the room was a reader when it joined; those who may no longer read leave the room
 * and get `noteunavailable`, the others get `room`. One encoded broadcast per event (except()).
 */
export function deliverLocally(io: Server, delivery: Delivery): void {
  deliverHome(io.of(HOME), delivery);
  deliverRoom(io.of(NOTES), delivery);
}

function deliverHome(ns: Namespace, d: Delivery): void {
  const denied: string[] = [];
  const lost: string[] = [];
  for (const [id, socket] of ns.sockets) {
    const visitor = socketVisitor(socket);
    if (mayRead(visitor, d.access)) continue;
    denied.push(id);
    if (d.before && mayRead(visitor, d.before)) lost.push(id);
  }
  if (d.home) ns.local.except(denied).emit(d.home.event, d.home.payload);
  if (lost.length > 0) ns.local.to(lost).emit(NOTE_UNAVAILABLE, d.key);
}

/** The `/notes` half of a delivery, for any namespace whose rooms are note keys. */
export function deliverRoom(ns: Namespace, d: Delivery): void {
  const members = ns.adapter.rooms.get(d.key);
  if (!members || members.size === 0) return;
  for (const id of [...members]) {
    const socket = ns.sockets.get(id);
    if (!socket || mayRead(socketVisitor(socket), d.access)) continue;
    socket.leave(d.key);
    socket.emit(NOTE_UNAVAILABLE, d.key);
  }
  if (d.room) ns.local.to(d.key).emit(d.room.event, d.room.payload);
}
