import { describe, expect, it } from 'vitest';
import { zipEntries } from '../import/zip-entries.js';
import { ZipWriter } from './zip-writer.js';

async function archive(files: Array<[string, string]>): Promise<Buffer> {
  const zip = new ZipWriter();
  const parts: Buffer[] = [];
  for (const [name, text] of files) parts.push(await zip.entry(name, Buffer.from(text), new Date()));
  parts.push(zip.end());
  return Buffer.concat(parts);
}

async function unpack(data: Buffer): Promise<Array<[string, string]>> {
  const { entries, close } = await zipEntries(data);
  try {
    const out: Array<[string, string]> = [];
    for (const e of entries) out.push([e.name, (await e.read()).toString()]);
    return out;
  } finally {
    close();
  }
}

describe('ZipWriter', () => {
  it('writes an archive that a zip reader unpacks to the same names and bytes (stored and deflated)', async () => {
    const files: Array<[string, string]> = [
      ['a.md', 'x'],
      ['日本.md', '東京 '.repeat(1000)],
      ['empty.md', ''],
    ];
    expect(await unpack(await archive(files))).toEqual(files);
    expect(await unpack(await archive([]))).toEqual([]);
  });

  it('writes ZIP64 records past 65,535 entries', async () => {
    const files = Array.from({ length: 65_537 }, (_, i): [string, string] => [`${i}.md`, `${i}`]);
    const names = (await unpack(await archive(files))).map(([name]) => name);
    expect(names.length).toBe(65_537);
    expect(names.at(-1)).toBe('65536.md');
  }, 60_000);
});

describe('zipEntries', () => {
  it.each(['../evil.md', 'notes/../../evil.md', '/etc/evil.md', 'C:/evil.md', 'back\\slash.md'])(
    'refuses the whole archive when an entry is named %s',
    async (name) => {
      const data = await archive([
        ['fine.md', 'fine'],
        [name, 'evil'],
      ]);
      await expect(zipEntries(data)).rejects.toThrow(
        /^refused: the entry name .* is not a plain relative path/,
      );
    },
  );

  it('refuses what is not a zip, and an entry that unpacks past its declared size', async () => {
    await expect(zipEntries(Buffer.from('just text'))).rejects.toThrow(/^not a zip archive/);
    const three = await archive([
      ['a.md', 'a'],
      ['b.md', 'b'],
      ['c.md', 'c'],
    ]);
    await expect(zipEntries(three, 2)).rejects.toThrow('holds more than 2 files and folders');
    expect((await zipEntries(three, 3)).entries.length).toBe(3);
    const data = await archive([['bomb.md', 'a'.repeat(100_000)]]);
    // Lower the declared size (local header at 0: offset 22; the directory's copy at +24).
    const directory = data.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    data.writeUInt32LE(10, 22);
    data.writeUInt32LE(10, directory + 24);
    const { entries, close } = await zipEntries(data);
    expect(entries[0]?.size).toBe(10);
    await expect(entries[0]!.read()).rejects.toThrow(/unpack/);
    close();
  });
});
