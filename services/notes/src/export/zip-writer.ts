import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);

/** Past these a field does not fit its 16 or 32 bits and the ZIP64 records carry the value. */
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** Bit 11: the names are UTF-8. */
const UTF8_NAMES = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const VERSION = 20;
const VERSION_ZIP64 = 45;

/** MS-DOS date and time of `when` (UTC fields; ZIP has no time zone), from 1980 on. */
function dosDateTime(when: Date): { date: number; time: number } {
  const d = when.getUTCFullYear() < 1980 ? new Date(Date.UTC(1980, 0, 1)) : when;
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** What a file's local header and its directory record both hold, in the same order. */
interface SharedFields {
  method: number;
  time: number;
  date: number;
  crc: number;
  packed: number;
  size: number;
  nameLength: number;
}

/** Flags, method, time, date, CRC-32, packed and unpacked sizes, name length: 26 bytes from `at`. */
function writeShared(header: Buffer, at: number, f: SharedFields): void {
  header.writeUInt16LE(UTF8_NAMES, at);
  header.writeUInt16LE(f.method, at + 2);
  header.writeUInt16LE(f.time, at + 4);
  header.writeUInt16LE(f.date, at + 6);
  header.writeUInt32LE(f.crc, at + 8);
  header.writeUInt32LE(f.packed, at + 12);
  header.writeUInt32LE(f.size, at + 16);
  header.writeUInt16LE(f.nameLength, at + 20);
}

/**
 * A ZIP archive written front to back, one whole entry at a time (DESIGN 4.7's export of every
 * note): `entry` deflates one file and returns its bytes (local header and data) to send at once,
 * `end` the central directory. Only the directory (about 60 bytes an entry) is kept until the
 * end, never the files. Names are UTF-8; ZIP64 records are written when there are more than 65,535
 * entries or the archive passes 4 GiB; one entry's data stays under 4 GiB (a note is 1 MB at most).
 * Node's own zlib does the deflating and the CRC-32, so no package is needed for it.
 */
export class ZipWriter {
  private offset = 0;
  private readonly directory: Buffer[] = [];
  private directorySize = 0;

  /** The bytes of one file entry, stored when deflating would not make it smaller. */
  async entry(name: string, data: Buffer, modified: Date): Promise<Buffer> {
    const nameBytes = Buffer.from(name, 'utf8');
    const packed = await deflate(data);
    const method = packed.length < data.length ? DEFLATED : STORED;
    const content = method === DEFLATED ? packed : data;
    const { date, time } = dosDateTime(modified);
    const crc = crc32(data);

    const shared: SharedFields = {
      method,
      time,
      date,
      crc,
      packed: content.length,
      size: data.length,
      nameLength: nameBytes.length,
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION, 4);
    writeShared(local, 6, shared);
    // Extra field length 28: 0.

    const farOffset = this.offset >= MAX32;
    const central = Buffer.alloc(46 + (farOffset ? 12 : 0));
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(farOffset ? VERSION_ZIP64 : VERSION, 4);
    central.writeUInt16LE(farOffset ? VERSION_ZIP64 : VERSION, 6);
    writeShared(central, 8, shared);
    central.writeUInt16LE(farOffset ? 12 : 0, 30);
    // Comment length, disk, internal and external attributes: all 0.
    central.writeUInt32LE(farOffset ? MAX32 : this.offset, 42);
    if (farOffset) {
      central.writeUInt16LE(0x0001, 46);
      central.writeUInt16LE(8, 48);
      central.writeBigUInt64LE(BigInt(this.offset), 50);
    }
    const record = Buffer.concat([central.subarray(0, 46), nameBytes, central.subarray(46)]);
    this.directory.push(record);
    this.directorySize += record.length;

    const bytes = Buffer.concat([local, nameBytes, content]);
    this.offset += bytes.length;
    return bytes;
  }

  /** The central directory and its end records: the archive's last bytes. */
  end(): Buffer {
    const count = this.directory.length;
    const start = this.offset;
    const size = this.directorySize;
    const parts = [...this.directory];
    const zip64 = count > MAX16 || start >= MAX32 || size >= MAX32;
    if (zip64) {
      const record = Buffer.alloc(56);
      record.writeUInt32LE(0x06064b50, 0);
      record.writeBigUInt64LE(44n, 4);
      record.writeUInt16LE(VERSION_ZIP64, 12);
      record.writeUInt16LE(VERSION_ZIP64, 14);
      record.writeBigUInt64LE(BigInt(count), 24);
      record.writeBigUInt64LE(BigInt(count), 32);
      record.writeBigUInt64LE(BigInt(size), 40);
      record.writeBigUInt64LE(BigInt(start), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(start + size), 8);
      locator.writeUInt32LE(1, 16);
      parts.push(record, locator);
    }
    const last = Buffer.alloc(22);
    last.writeUInt32LE(0x06054b50, 0);
    last.writeUInt16LE(Math.min(count, MAX16), 8);
    last.writeUInt16LE(Math.min(count, MAX16), 10);
    last.writeUInt32LE(Math.min(size, MAX32), 12);
    last.writeUInt32LE(Math.min(start, MAX32), 16);
    parts.push(last);
    const bytes = Buffer.concat(parts);
    this.offset += bytes.length;
    this.directory.length = 0;
    return bytes;
  }
}
