import { describe, expect, it } from 'vitest';
import { excessRevisions, type RevisionSettings, recordingOf } from './revision-rules.js';

const settings: RevisionSettings = { mergeSeconds: 300, keep: 10 };
const t0 = new Date('2026-01-01T10:00:00Z');
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const latest = { author: 'alice', title: 'T', body: 'one', restoredFrom: null, createdAt: t0 };
const change = (over: Partial<Parameters<typeof recordingOf>[1]> = {}) => ({
  author: 'alice',
  title: 'T',
  body: 'two',
  at: later(10),
  ...over,
});

describe('recordingOf', () => {
  it('the first save of a note is a new revision', () => {
    expect(recordingOf(null, change(), settings)).toBe('new');
  });

  it('the same author within the window folds; at or past the window it does not', () => {
    expect(recordingOf(latest, change({ at: later(299) }), settings)).toBe('fold');
    expect(recordingOf(latest, change({ at: later(300) }), settings)).toBe('new');
    expect(recordingOf(latest, change({ at: later(4000) }), settings)).toBe('new');
  });

  it('another author always makes a new revision', () => {
    expect(recordingOf(latest, change({ author: 'bob' }), settings)).toBe('new');
  });

  it('a window of 0 never folds', () => {
    expect(recordingOf(latest, change(), { ...settings, mergeSeconds: 0 })).toBe('new');
  });

  it('a save that changes neither title nor body records nothing', () => {
    expect(recordingOf(latest, change({ body: 'one' }), settings)).toBe('unchanged');
    expect(recordingOf(latest, change({ title: 'U', body: 'one' }), settings)).toBe('fold');
  });

  it('a restore is its own revision, and nothing folds into a restore', () => {
    expect(recordingOf(latest, change({ restoredFrom: 1 }), settings)).toBe('new');
    expect(recordingOf({ ...latest, restoredFrom: 1 }, change(), settings)).toBe('new');
  });

  it('a clock that went backwards does not fold', () => {
    expect(recordingOf(latest, change({ at: later(-5) }), settings)).toBe('new');
  });
});

describe('excessRevisions', () => {
  it('is how many exceed the bound, never below keeping two (the first and the newest)', () => {
    expect(excessRevisions(10, 10)).toBe(0);
    expect(excessRevisions(11, 10)).toBe(1);
    expect(excessRevisions(3, 10)).toBe(0);
    expect(excessRevisions(5, 1)).toBe(3);
  });
});
