import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** A file inside an uploaded zip, its content read only when asked for (never all at once). */
export interface ZipEntry {
  /** Its path in the archive (checked: relative, no `..`, no backslash). */
  name: string;
  /** The size its header declares once unpacked; reading more than that fails (zip bombs). */
  size: number;
  /** Its bytes; refuses an encrypted entry or one unpacking past its declared size. */
  read(): Promise<Buffer>;
}

/** Why an archive cannot be read, in words for the import's results page. */
export class ZipProblem extends Error {}

const UNSAFE_NAME = /^(invalid characters in fileName|absolute path|invalid relative path): (.*)$/s;

/** yauzl's errors as sentences: an entry name that leads out of the archive is named as such. */
function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const unsafe = UNSAFE_NAME.exec(message);
  if (unsafe)
    return `refused: the entry name "${unsafe[2]?.slice(0, 200)}" is not a plain relative path inside the archive`;
  return `not a zip archive that can be read (${message})`;
}

async function collect(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) {
      stream.destroy();
      throw new ZipProblem('unpacks to more bytes than its header declares');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
}

/**
 * The file entries of a zip held in memory (the upload, bounded by its limit; at most `maxEntries`
 * entries, folders included, so that a flood of tiny entries costs nothing), every name checked
 * before any content is unpacked: one unsafe name refuses the whole archive (ZipProblem), so an
 * archive made to write outside a folder imports nothing. Folders are left out. yauzl checks that
 * each entry unpacks to exactly its declared size, so sizes can be checked from the headers first.
 */
export async function zipEntries(
  data: Buffer,
  maxEntries = Number.POSITIVE_INFINITY,
): Promise<{ entries: ZipEntry[]; close(): void }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: true,
    });
  } catch (err) {
    throw new ZipProblem(describe(err));
  }
  const entries: ZipEntry[] = [];
  try {
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      if (++seen > maxEntries) throw new ZipProblem(`holds more than ${maxEntries} files and folders`);
      if (entry.fileName.endsWith('/')) continue;
      entries.push({
        name: entry.fileName,
        size: entry.uncompressedSize,
        read: async () => {
          if (entry.isEncrypted()) throw new ZipProblem('is encrypted');
          try {
            return await collect(await zip.openReadStreamPromise(entry), entry.uncompressedSize);
          } catch (err) {
            if (err instanceof ZipProblem) throw err;
            // yauzl's own size check (validateEntrySizes) said it first.
            if (/too many bytes in the stream/.test((err as Error).message))
              throw new ZipProblem('unpacks to more bytes than its header declares');
            throw new ZipProblem(`cannot be unpacked (${(err as Error).message})`);
          }
        },
      });
    }
  } catch (err) {
    zip.close();
    throw err instanceof ZipProblem ? err : new ZipProblem(describe(err));
  }
  return { entries, close: () => zip.close() };
}
