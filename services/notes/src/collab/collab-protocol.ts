import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep1, messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';

/**
 * The wire of `/collab` (DESIGN 4.9), shared by the server, the page's editor and the headless test
 * clients. Sync messages are the standard y-protocols framing (step 1 = a state vector, step 2 and
 * update = a Yjs update); awareness messages are y-protocols awareness updates.
 *
 * Client → server, each with an acknowledgement `{ok, ...}`:
 * - `join {key}` → `{ok, key, mayEdit, user}`: enters the room of one note (404 if unreadable);
 * - `sync {key, m}`: `m` a step 1 → `{ok, replies: [step 2, server's step 1]}`; a step 2 or update
 *   (editors only) → `{ok}` once the update is stored in the log;
 * - `awareness {key, m}` (no answer): the sender's cursor and name, relayed to the room.
 * Server → client: `sync {key, m}` (an update from someone else), `awareness {key, m}`,
 * `awareness-hello {key}` (someone joined: send your awareness state again),
 * `noteunavailable` (no longer readable). What the server sends carries `m` as base64 text: a
 * binary attachment would travel as a WebSocket frame of its own, twice the frames for every
 * socket in the room. A refused update's answer is `{ok: false, error: {code, message}}`; with
 * `rate_limited` or `unavailable` the client keeps the change and sends it again a little later.
 */
export const COLLAB = '/collab';

/** The Y.Text of a note's body in its document. */
export const BODY_TEXT = 'body';

/** The largest update one message may carry (below the socket's 64 kB message limit). */
export const COLLAB_UPDATE_MAX = 48 * 1024;

export type SyncMessage =
  | { type: 'step1'; stateVector: Uint8Array }
  | { type: 'step2' | 'update'; update: Uint8Array };

export function decodeSync(message: Uint8Array): SyncMessage {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  const payload = decoding.readVarUint8Array(decoder);
  if (type === messageYjsSyncStep1) return { type: 'step1', stateVector: payload };
  if (type === messageYjsSyncStep2) return { type: 'step2', update: payload };
  if (type === messageYjsUpdate) return { type: 'update', update: payload };
  throw new Error(`unknown sync message type ${type}`);
}

function frame(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const syncStep1 = (stateVector: Uint8Array) => frame(messageYjsSyncStep1, stateVector);
export const syncStep2 = (update: Uint8Array) => frame(messageYjsSyncStep2, update);
export const syncUpdate = (update: Uint8Array) => frame(messageYjsUpdate, update);

/** An update that changes nothing (Yjs encodes "no structs, empty delete set" in two bytes). */
export const isEmptyUpdate = (update: Uint8Array) => update.byteLength <= 2;

/**
 * Bytes from whatever a socket handed over: binary (Buffer in Node, ArrayBuffer or Uint8Array in
 * browsers) or base64 text (what the server sends).
 */
export function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof value === 'string' && BASE64.test(value)) return fromBase64(value);
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A message as the server sends it to sockets (base64 text: one frame each). */
export const toWire = (m: Uint8Array): string => toBase64(m);

/** The clients (id and clock) an awareness update speaks for. */
export function awarenessClients(update: Uint8Array): { clientID: number; clock: number }[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const clients: { clientID: number; clock: number }[] = [];
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    decoding.readVarString(decoder);
    clients.push({ clientID, clock });
  }
  return clients;
}

/** An awareness update saying these clients left (their state null, one tick later). */
export function awarenessRemoval(clients: { clientID: number; clock: number }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clients.length);
  for (const { clientID, clock } of clients) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock + 1);
    encoding.writeVarString(encoder, 'null');
  }
  return encoding.toUint8Array(encoder);
}

/** Eight presence colours; a user's is fixed by their name (the page styles them as classes). */
export const PRESENCE_COLOURS = 8;

export function colourOf(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return h % PRESENCE_COLOURS;
}
