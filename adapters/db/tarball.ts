// Unpacks a data-directory tarball (PGlite's dumpDataDir format: ustar, optionally gzipped) onto
// disk. PGlite can load one itself (`loadDataDir`), but it unpacks through its WebAssembly heap,
// which grows by the size of the archive and never shrinks: a first start from the start template
// cost the service 190 MB of resident memory for good. Unpacked here, the memory is ordinary
// JavaScript memory, freed once the files are written (issue 17).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(header: Buffer, offset: number, length: number): number {
  const text = field(header, offset, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

/** Writes every directory and file of `archive` under `dir` (which must be new or empty). */
export function extractTarball(archive: Uint8Array, dir: string): { files: number; bytes: number } {
  const data = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  let offset = 0;
  let files = 0;
  let bytes = 0;
  while (offset + BLOCK <= data.length) {
    const header = data.subarray(offset, offset + BLOCK);
    offset += BLOCK;
    if (header.every((b) => b === 0)) break;
    const prefix = field(header, 345, 155);
    const name = field(header, 0, 100);
    const path = normalize((prefix ? `${prefix}/${name}` : name).replace(/^\/+/, ''));
    if (path === '..' || path.startsWith(`..${sep}`)) throw new Error(`tarball entry outside the data directory: ${name}`);
    const size = octal(header, 124, 12);
    const mode = octal(header, 100, 8) & 0o777;
    const type = String.fromCharCode(header[156] ?? 0);
    const target = join(dir, path);
    if (type === '5') {
      mkdirSync(target, { recursive: true, mode: mode || 0o700 });
    } else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data.subarray(offset, offset + size), { mode: mode || 0o600 });
      files++;
      bytes += size;
    } else {
      throw new Error(`unsupported tarball entry type "${type}" for ${name}`);
    }
    offset += Math.ceil(size / BLOCK) * BLOCK;
  }
  return { files, bytes };
}
