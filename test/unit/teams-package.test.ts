/**
 * The Teams app package (npm run teams:package): the manifest, the two PNG icons and the zip, each
 * parsed back by hand here rather than trusted, plus the CLI run as a child process.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, routeCommand } from '../../src/chat/commands';
import { buildTeamsPackage } from '../../adapters/teams/package/build';
import { ACCENT_COLOR, BOT_SCOPES, LIMITS, MANIFEST_SCHEMA, buildTeamsManifest } from '../../adapters/teams/package/manifest';
import { colorIcon, encodePng, outlineIcon } from '../../adapters/teams/package/png';
import { createZip, dosDateTime } from '../../adapters/teams/package/zip';
import { teamsManifestProblems } from '../support/platforms';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP_ID = '6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b';
const INPUT = { appId: APP_ID, publicUrl: 'https://tomte.example.no', version: '0.1.0' };
const tmpRoot = mkdtempSync(join(tmpdir(), 'tomte-teams-pkg-'));
afterAll(() => rmSync(tmpRoot, { recursive: true, force: true }));

describe('buildTeamsManifest', () => {
  const m = buildTeamsManifest(INPUT);

  it('has every field the v1.17 schema requires', () => {
    expect(m.$schema).toBe(MANIFEST_SCHEMA);
    expect(m.$schema).toContain('/teams/v1.17/');
    expect(m.manifestVersion).toBe('1.17');
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(m.id).toBe(APP_ID);
    expect(m.developer.name).toBe('3dje Boligsektor');
    expect(m.developer.name.length).toBeLessThanOrEqual(32);
    for (const url of [m.developer.websiteUrl, m.developer.privacyUrl, m.developer.termsOfUseUrl]) expect(url).toMatch(/^https:\/\//);
    expect(m.name.short).toBe('tomte');
    expect(m.name.short.length).toBeLessThanOrEqual(LIMITS.nameShort);
    expect(m.name.full.length).toBeLessThanOrEqual(LIMITS.nameFull);
    expect(m.description.short.length).toBeGreaterThan(0);
    expect(m.description.short.length).toBeLessThanOrEqual(LIMITS.descriptionShort);
    expect(m.description.full.length).toBeLessThanOrEqual(LIMITS.descriptionFull);
    expect(m.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(m.accentColor).toBe('#2E5A3C');
    expect(m.localizationInfo).toEqual({ defaultLanguageTag: 'nb-no' });
  });

  it('passes the official Teams manifest schema of its declared version (no root packageName from 1.17 on)', () => {
    expect(teamsManifestProblems(m)).toEqual([]);
    expect('packageName' in m).toBe(false);
  });

  it('the official schema is really checked: a root packageName is refused', () => {
    expect(teamsManifestProblems({ ...m, packageName: 'no.tredjeboligsektor.tomte' } as typeof m).join('\n')).toContain('additional properties');
  });

  it('uses the Slack manifest background colour', () => {
    const slack = JSON.parse(readFileSync(join(ROOT, 'adapters/slack/manifest.json'), 'utf8')) as { display_information: { background_color: string } };
    expect(ACCENT_COLOR.toLowerCase()).toBe(slack.display_information.background_color.toLowerCase());
  });

  it('describes the bot: same id, all scopes, no files, not notification-only', () => {
    expect(m.bots).toHaveLength(1);
    const bot = m.bots[0]!;
    expect(bot.botId).toBe(APP_ID);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(m.validDomains).toEqual(['tomte.example.no']);
  });

  it('unfurls links to the service host through a compose extension of the same bot', () => {
    expect(m.composeExtensions).toEqual([{ botId: m.bots[0]!.botId, commands: [expect.objectContaining({ id: 'tomte_lookup', type: 'action', title: 'Slå opp kommune', context: ['message'], fetchTask: false })], messageHandlers: [{ type: 'link', value: { domains: ['tomte.example.no'] } }] }]);
  });

  it('offers the grammar commands in every scope, within the schema limits', () => {
    const lists = m.bots[0]!.commandLists;
    expect(lists.flatMap((l) => l.scopes).sort()).toEqual([...BOT_SCOPES].sort());
    for (const list of lists) {
      expect(list.commands.length).toBeGreaterThan(0);
      expect(list.commands.length).toBeLessThanOrEqual(LIMITS.commandsPerList);
      expect(list.commands.map((c) => c.title)).toEqual(['kommune', 'hvorfor', 'topp', 'tier', 'sammenlign', 'kilder', 'hjelp', 'abonner']);
      for (const c of list.commands) {
        expect(c.title.length).toBeLessThanOrEqual(LIMITS.commandTitle);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(LIMITS.commandDescription);
      }
    }
  });

  it('is generated from the command table: each menu entry is the command\'s word and help text, and its example routes to it', () => {
    const menu = COMMANDS.filter((c) => c.menu);
    expect(m.bots[0]!.commandLists[0]!.commands).toEqual(
      menu.map((c) => ({ title: c.words.nb[0], description: c.menu!.example === c.words.nb[0] ? c.help[0]!.nb[1] : `${c.help[0]!.nb[1]}. Eksempel: ${c.menu!.example}` })),
    );
    for (const c of menu) expect(routeCommand(c.menu!.example).entry.id, c.menu!.example).toBe(c.id);
  });

  it('normalises the URL and keeps a port in the valid domain', () => {
    expect(buildTeamsManifest({ ...INPUT, publicUrl: 'https://tomte.example.no///' }).developer.websiteUrl).toBe('https://tomte.example.no/');
    expect(buildTeamsManifest({ ...INPUT, publicUrl: 'https://bot.example.no:8443/tomte' }).validDomains).toEqual(['bot.example.no:8443']);
  });

  it('takes other developer links', () => {
    const d = buildTeamsManifest({ ...INPUT, developerUrls: { privacyUrl: 'https://example.no/personvern' } }).developer;
    expect(d.privacyUrl).toBe('https://example.no/personvern');
    expect(d.websiteUrl).toBe('https://tomte.example.no/');
  });

  it.each([
    [{ ...INPUT, appId: 'not-a-guid' }, /GUID/],
    [{ ...INPUT, appId: '' }, /GUID/],
    [{ ...INPUT, appId: `${APP_ID}0` }, /GUID/],
    [{ ...INPUT, publicUrl: 'http://tomte.example.no' }, /https/],
    [{ ...INPUT, publicUrl: 'tomte.example.no' }, /https/],
    [{ ...INPUT, publicUrl: 'https://tomte.example.no/?x=1' }, /query/],
    [{ ...INPUT, version: '0.1' }, /x\.y\.z/],
    [{ ...INPUT, developerUrls: { termsOfUseUrl: 'http://example.no' } }, /termsOfUseUrl/],
  ])('rejects bad input %#', (input, message) => {
    expect(() => buildTeamsManifest(input)).toThrow(message);
  });
});

// --- PNG parsing, by hand ---

interface Png {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  pixels: Uint8Array;
}

function decodePng(buf: Buffer): Png {
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let pos = 8;
  const types: string[] = [];
  const idat: Buffer[] = [];
  let ihdr: Buffer | null = null;
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    expect(buf.readUInt32BE(pos + 8 + len), `CRC of ${type}`).toBe(crc32(buf.subarray(pos + 4, pos + 8 + len)));
    types.push(type);
    if (type === 'IHDR') ihdr = data;
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  expect(pos).toBe(buf.length);
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const width = ihdr!.readUInt32BE(0);
  const height = ihdr!.readUInt32BE(4);
  expect([ihdr![10], ihdr![11], ihdr![12]]).toEqual([0, 0, 0]); // compression, filter, interlace
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (width * 4 + 1));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)], `filter byte of row ${y}`).toBe(0);
    pixels.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, bitDepth: ihdr![8]!, colourType: ihdr![9]!, pixels };
}

describe('PNG icons', () => {
  it('round-trips an image through the encoder', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const png = decodePng(encodePng({ width: 3, height: 2, pixels }));
    expect(png).toMatchObject({ width: 3, height: 2, bitDepth: 8, colourType: 6 });
    expect([...png.pixels]).toEqual([...pixels]);
  });

  it('colour icon: 192×192 RGBA, opaque, accent background with a white symbol', () => {
    const png = decodePng(encodePng(colorIcon(ACCENT_COLOR)));
    expect(png).toMatchObject({ width: 192, height: 192, bitDepth: 8, colourType: 6 });
    const at = (x: number, y: number) => [...png.pixels.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    for (let i = 3; i < png.pixels.length; i += 4) expect(png.pixels[i]).toBe(255);
    expect(at(0, 0)).toEqual([0x2e, 0x5a, 0x3c, 255]);
    expect(at(191, 191)).toEqual([0x2e, 0x5a, 0x3c, 255]);
    expect(at(96, 80)).toEqual([255, 255, 255, 255]); // inside the house
    // The symbol stays inside Teams' 120×120 safe zone.
    const outside: string[] = [];
    for (let y = 0; y < 192; y++) {
      for (let x = 0; x < 192; x++) {
        if ((x < 36 || x >= 156 || y < 36 || y >= 156) && at(x, y).join() !== '46,90,60,255') outside.push(`${x},${y}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('outline icon: 32×32, only opaque white or full transparency, and not empty', () => {
    const png = decodePng(encodePng(outlineIcon()));
    expect(png).toMatchObject({ width: 32, height: 32, bitDepth: 8, colourType: 6 });
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      const [r, g, b, a] = png.pixels.subarray(i, i + 4);
      if (a === 0) continue;
      expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
      opaque++;
    }
    expect(opaque).toBeGreaterThan(50);
    expect(opaque).toBeLessThan(32 * 32 - 100);
  });
});

// --- ZIP parsing, by hand ---

interface ZipFile {
  name: string;
  data: Buffer;
  time: number;
  date: number;
}

function readZip(buf: Buffer): ZipFile[] {
  const eocd = buf.length - 22;
  expect(buf.readUInt32LE(eocd)).toBe(0x06054b50);
  const count = buf.readUInt16LE(eocd + 10);
  expect(buf.readUInt16LE(eocd + 8)).toBe(count);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  expect(cdOffset + cdSize).toBe(eocd);
  const files: ZipFile[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const time = buf.readUInt16LE(p + 12);
    const date = buf.readUInt16LE(p + 14);
    const crc = buf.readUInt32LE(p + 16);
    const csize = buf.readUInt32LE(p + 20);
    const usize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    expect(method).toBe(8);
    // The local header repeats name, method, CRC and sizes.
    expect(buf.readUInt32LE(localOffset)).toBe(0x04034b50);
    expect(buf.readUInt16LE(localOffset + 8)).toBe(method);
    expect(buf.readUInt32LE(localOffset + 14)).toBe(crc);
    expect(buf.readUInt32LE(localOffset + 18)).toBe(csize);
    expect(buf.readUInt32LE(localOffset + 22)).toBe(usize);
    const localNameLen = buf.readUInt16LE(localOffset + 26);
    const start = localOffset + 30 + localNameLen + buf.readUInt16LE(localOffset + 28);
    expect(buf.toString('utf8', localOffset + 30, localOffset + 30 + localNameLen)).toBe(name);
    const data = inflateRawSync(buf.subarray(start, start + csize));
    expect(data.length, name).toBe(usize);
    expect(crc32(data), name).toBe(crc);
    files.push({ name, data, time, date });
    p += 46 + nameLen + extraLen + commentLen;
  }
  expect(p).toBe(eocd);
  return files;
}

describe('ZIP writer', () => {
  it('encodes DOS date and time from UTC fields', () => {
    expect(dosDateTime(new Date(Date.UTC(2024, 0, 1)))).toEqual({ time: 0, date: (44 << 9) | (1 << 5) | 1 });
    expect(dosDateTime(new Date(Date.UTC(2025, 5, 30, 13, 45, 59)))).toEqual({ time: (13 << 11) | (45 << 5) | 29, date: (45 << 9) | (6 << 5) | 30 });
    expect(() => dosDateTime(new Date(Date.UTC(1979, 11, 31)))).toThrow(/1980/);
  });

  it('writes entries that read back byte for byte, reproducibly', () => {
    const entries = [
      { name: 'a.txt', data: Buffer.from('hei '.repeat(100)) },
      { name: 'empty', data: new Uint8Array(0) },
      { name: 'b.bin', data: Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251) },
    ];
    const zip = createZip(entries);
    const files = readZip(zip);
    expect(files.map((f) => f.name)).toEqual(['a.txt', 'empty', 'b.bin']);
    files.forEach((f, i) => expect(Buffer.compare(f.data, Buffer.from(entries[i]!.data))).toBe(0));
    expect(Buffer.compare(zip, createZip(entries))).toBe(0);
  });

  it('rejects folders and duplicates', () => {
    expect(() => createZip([{ name: 'icons/a.png', data: new Uint8Array(1) }])).toThrow(/folders/);
    expect(() => createZip([{ name: 'a', data: new Uint8Array(1) }, { name: 'a', data: new Uint8Array(1) }])).toThrow(/duplicate/);
  });

  it('packages the manifest and both icons at the root', () => {
    const { zip, manifest } = buildTeamsPackage(INPUT);
    const files = readZip(zip);
    expect(files.map((f) => f.name).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const byName = new Map(files.map((f) => [f.name, f.data]));
    expect(JSON.parse(byName.get('manifest.json')!.toString('utf8'))).toEqual(buildTeamsManifest(INPUT));
    expect(manifest).toEqual(buildTeamsManifest(INPUT));
    expect(decodePng(byName.get('color.png')!)).toMatchObject({ width: 192, height: 192 });
    expect(decodePng(byName.get('outline.png')!)).toMatchObject({ width: 32, height: 32 });
  });
});

// --- The CLI ---

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runPackage(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'adapters/teams/package/main.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000, encoding: 'utf8' },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('npm run teams:package', () => {
  it('writes the package and prints the endpoint to configure', async () => {
    const out = join(tmpRoot, 'nested', 'x.zip');
    const r = await runPackage(['--out', out], { MICROSOFT_APP_ID: APP_ID, TOMTE_PUBLIC_URL: 'https://tomte.example.no' });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(r.stdout).toContain(out);
    expect(r.stdout).toContain(APP_ID);
    expect(r.stdout).toContain('tomte.example.no');
    expect(r.stdout).toContain('https://tomte.example.no/api/messages');
    const files = readZip(readFileSync(out));
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')!.data.toString('utf8'));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest).toEqual(buildTeamsManifest({ ...INPUT, version: pkg.version }));
  });

  it('without the settings: exit 2 and names what to set, no stack trace', async () => {
    const out = join(tmpRoot, 'missing.zip');
    const r = await runPackage(['--out', out], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('MICROSOFT_APP_ID');
    expect(r.stderr).toContain('TOMTE_PUBLIC_URL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
