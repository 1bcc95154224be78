import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP writer for the Teams app package: every file at the archive root, deflated
 * (method 8), no ZIP64, no extra fields, no comments. The modification time is a parameter (default
 * fixed), so the same inputs always give the same bytes.
 */

export interface ZipEntry {
  /** File name at the archive root: ASCII, no folders. */
  name: string;
  data: Uint8Array;
}

/** 2024-01-01 00:00:00 UTC: a fixed stamp keeps builds reproducible. */
export const DEFAULT_ZIP_DATE = new Date(Date.UTC(2024, 0, 1));

/** MS-DOS time and date words, from the UTC fields of `d` (two-second resolution, 1980–2107). */
export function dosDateTime(d: Date): { time: number; date: number } {
  const year = d.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new Error(`ZIP dates run from 1980 to 2107, got ${d.toISOString()}`);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export function createZip(entries: ZipEntry[], modified: Date = DEFAULT_ZIP_DATE): Buffer {
  const { time, date } = dosDateTime(modified);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const { name, data } of entries) {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(name) || /[/\\]/.test(name)) throw new Error(`ZIP entry names must be plain ASCII file names without folders, got «${name}»`);
    if (seen.has(name)) throw new Error(`duplicate ZIP entry «${name}»`);
    seen.add(name);
    const nameBytes = Buffer.from(name, 'ascii');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);

    // Local file header (30 bytes + name), then the deflated data.
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28); // extra field length
    locals.push(local, nameBytes, packed);

    // Central directory header (46 bytes + name) pointing back at the local header.
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by: 2.0, MS-DOS attributes
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(0, 8); // flags
    central.writeUInt16LE(8, 10); // method
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    // extra length, comment length, disk number, internal and external attributes stay 0
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  // End of central directory record (22 bytes, no comment).
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  // disk numbers stay 0
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
