import * as Y from 'yjs';
import { BODY_TEXT } from './collab-protocol.js';

/**
 * The first Yjs state of a note, made from its Markdown body. Deterministic (client id 0, one
 * insert), so two replicas that make it at once from the same body make the same bytes, and
 * whichever is stored, the documents agree.
 */
export function initialState(body: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = 0;
  doc.getText(BODY_TEXT).insert(0, body);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/** A document holding `updates` applied in order (Yjs updates commute, the order is only for speed). */
export function docFrom(updates: Iterable<Uint8Array>): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

export const textOf = (doc: Y.Doc) => doc.getText(BODY_TEXT).toString();

/** The one region where `current` and `target` differ: `removed` characters at `start` become `inserted`. */
export function changedRegion(
  current: string,
  target: string,
): { start: number; removed: number; inserted: string } {
  let start = 0;
  const max = Math.min(current.length, target.length);
  while (start < max && current.charCodeAt(start) === target.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    current.charCodeAt(current.length - 1 - end) === target.charCodeAt(target.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair: move the cut to a whole character.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  return { start, removed: current.length - start - end, inserted: target.slice(start, target.length - end) };
}

/**
 * Applies the change from `base` to `target` to `text` as one replacement (a form save that changed
 * one region becomes one local edit, and a concurrent edit elsewhere survives the merge). When
 * `text` is `base`, it then reads `target`.
 */
export function applyChange(text: Y.Text, base: string, target: string): void {
  const { start, removed, inserted } = changedRegion(base, target);
  if (removed === 0 && inserted === '') return;
  const at = Math.min(start, text.length);
  text.doc?.transact(() => {
    const cut = Math.min(removed, text.length - at);
    if (cut > 0) text.delete(at, cut);
    if (inserted.length > 0) text.insert(at, inserted);
  });
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
