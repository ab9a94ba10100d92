import { describe, expect, it } from 'vitest';
import { relativeTime } from './relative-time.js';

describe('relative time', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  const ago = (s: number) => relativeTime(new Date(now.getTime() - s * 1000), now);
  it('says how long ago in words, then the date', () => {
    expect(ago(10)).toBe('just now');
    expect(ago(60)).toBe('1 minute ago');
    expect(ago(5 * 60)).toBe('5 minutes ago');
    expect(ago(3 * 3600)).toBe('3 hours ago');
    expect(ago(86400)).toBe('1 day ago');
    expect(ago(40 * 86400)).toBe('2026-01-29');
  });
});
