import { describe, expect, it } from 'vitest';
import { type BatchItem, UpdateBatcher } from './collab-update-batcher.js';

const item = (n: number): BatchItem => ({ key: 'k', data: new Uint8Array(n), author: 'a' });

/** A batcher over a fake INSERT that the test completes by hand, recording what happened in order. */
function harness() {
  const events: string[] = [];
  const inserts: { items: readonly BatchItem[]; done: (ids: number[] | Error) => void }[] = [];
  let next = 1;
  const batcher = new UpdateBatcher<BatchItem>(
    (items) =>
      new Promise<number[]>((resolve, reject) => {
        events.push(`insert ${items.length}`);
        inserts.push({ items, done: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
      }),
    (stored) => events.push(`stored ${stored.map((s) => s.id).join(',')}`),
    (err) => events.push(`failed ${String(err)}`),
    { rows: 3, bytes: 100 },
  );
  const add = (n: number) =>
    batcher.add(item(n)).then(
      (id) => events.push(`ack ${id}`),
      (err: Error) => events.push(`refused ${err.message}`),
    );
  const ids = (count: number) => Array.from({ length: count }, () => next++);
  return { events, inserts, add, ids };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('UpdateBatcher', () => {
  it('stores what arrives in one turn with one INSERT, and what arrives meanwhile with the next; acknowledges only after', async () => {
    const h = harness();
    const first = [h.add(1), h.add(1)];
    await turn();
    expect(h.events).toEqual(['insert 2']);
    const second = [h.add(1), h.add(1)];
    await turn();
    expect(h.events, 'one INSERT at a time').toEqual(['insert 2']);
    h.inserts[0]!.done(h.ids(2));
    await Promise.all(first);
    expect(h.events).toEqual(['insert 2', 'stored 1,2', 'ack 1', 'ack 2']);
    await turn();
    expect(h.events.at(-1)).toBe('insert 2');
    h.inserts[1]!.done(h.ids(2));
    await Promise.all(second);
    expect(h.events.slice(-3)).toEqual(['stored 3,4', 'ack 3', 'ack 4']);
  });

  it('keeps batches within their row and byte limits (a larger update goes alone)', async () => {
    const h = harness();
    const all = [h.add(1), h.add(1), h.add(1), h.add(1), h.add(150), h.add(1)];
    for (let i = 0; i < 4; i++) {
      await turn();
      const pending = h.inserts.at(-1)!;
      pending.done(h.ids(pending.items.length));
      await turn();
    }
    await Promise.all(all);
    expect(h.events.filter((e) => e.startsWith('insert'))).toEqual([
      'insert 3',
      'insert 1',
      'insert 1',
      'insert 1',
    ]);
  });

  it('a failed INSERT refuses every update of its batch (none is handed on) and the next batch goes on', async () => {
    const h = harness();
    const failing = [h.add(1), h.add(1)];
    await turn();
    const later = h.add(1);
    h.inserts[0]!.done(new Error('gone'));
    await Promise.all(failing);
    expect(h.events).toEqual(['insert 2', 'refused gone', 'refused gone']);
    await turn();
    h.inserts[1]!.done(h.ids(1));
    await later;
    expect(h.events.slice(-3)).toEqual(['insert 1', 'stored 1', 'ack 1']);
  });
});
