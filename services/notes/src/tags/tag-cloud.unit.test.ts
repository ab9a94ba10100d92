import { describe, expect, it } from 'vitest';
import { TagCloud } from './tag-cloud.js';
import type { TagCount, TagRepository } from './tag-repository.js';

/** A repository that records its calls and answers with the visitor's name and the call's number. */
function repository() {
  const calls: string[] = [];
  let broken = false;
  const repo = {
    counts: async (visitor: { username: string } | undefined, limit: number): Promise<TagCount[]> => {
      calls.push(`${visitor?.username ?? 'anonymous'}:${limit}`);
      if (broken) throw new Error('store down');
      return [{ tag: visitor?.username ?? 'public', count: calls.length }];
    },
  };
  return { repo: repo as unknown as TagRepository, calls, breakIt: (b: boolean) => (broken = b) };
}

describe('TagCloud', () => {
  it('counts in the background: none shown until the first count, then kept per visitor class', async () => {
    const { repo, calls } = repository();
    let now = 0;
    const cloud = new TagCloud(repo, 30, 10, () => now);
    // Visitors arriving together before the first count: no cloud, and one count per class.
    expect(
      await Promise.all([cloud.top(undefined), cloud.top(undefined), cloud.top({ username: 'vera' })]),
    ).toEqual([[], [], []]);
    await cloud.settled();
    expect(calls).toEqual(['anonymous:30', 'vera:30']);
    expect(await cloud.top(undefined)).toEqual([{ tag: 'public', count: 1, href: '/tags/public' }]);
    expect(await cloud.top({ username: 'vera' })).toEqual([{ tag: 'vera', count: 2, href: '/tags/vera' }]);
    now = 9_999;
    await cloud.top(undefined);
    expect(calls.length).toBe(2);
    // Once old, the kept cloud is still shown while the new count runs.
    now = 10_000;
    expect(await cloud.top(undefined)).toEqual([{ tag: 'public', count: 1, href: '/tags/public' }]);
    await cloud.settled();
    expect(await cloud.top(undefined)).toEqual([{ tag: 'public', count: 3, href: '/tags/public' }]);
  });

  it('a failed count keeps the old cloud and is tried again on the next visit', async () => {
    const { repo, calls, breakIt } = repository();
    let now = 0;
    const cloud = new TagCloud(repo, 5, 10, () => now);
    await cloud.top(undefined);
    await cloud.settled();
    breakIt(true);
    now = 20_000;
    await cloud.top(undefined);
    await cloud.settled();
    expect(await cloud.top(undefined)).toEqual([{ tag: 'public', count: 1, href: '/tags/public' }]);
    await cloud.settled();
    expect(calls.length).toBe(3);
  });

  it('counts on every visit and waits with 0 seconds; never with size 0', async () => {
    const { repo, calls } = repository();
    const always = new TagCloud(repo, 5, 0);
    expect(await always.top(undefined)).toEqual([{ tag: 'public', count: 1, href: '/tags/public' }]);
    expect(await always.top(undefined)).toEqual([{ tag: 'public', count: 2, href: '/tags/public' }]);
    expect(await new TagCloud(repo, 0, 10).top(undefined)).toEqual([]);
    expect(calls.length).toBe(2);
  });
});
