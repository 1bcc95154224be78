import { crc32, deflateSync } from 'node:zlib';

/**
 * A tiny PNG encoder (8-bit RGBA, filter 0 on every row, zlib via node:zlib) and the two Teams
 * icons, drawn procedurally: a house on its plot. Teams wants a full-colour 192×192 icon (symbol
 * inside the central 120×120 safe zone) and a 32×32 outline icon in white (#FFFFFF) on transparency.
 */

export interface Image {
  width: number;
  height: number;
  /** Row-major RGBA, 4 bytes a pixel. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One chunk: length, type, data, CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(img: Image): Buffer {
  const { width, height, pixels } = img;
  if (pixels.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${pixels.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  // compression, filter method and interlace stay 0
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    // The leading filter byte of each row stays 0 (None).
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0))]);
}

// --- Drawing: shapes are predicates over unit coordinates (0..1, y down). ---

type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;

/** Even-odd point-in-polygon test. */
const polygon = (pts: [number, number][]): Shape => (x, y) => {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!;
    const [xj, yj] = pts[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
};

/** A stroke of width `w` along a polyline, with round joins and caps. */
const stroke = (pts: [number, number][], w: number): Shape => (x, y) => {
  for (let i = 1; i < pts.length; i++) {
    const [ax, ay] = pts[i - 1]!;
    const [bx, by] = pts[i]!;
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    if (Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= w / 2) return true;
  }
  return false;
};

const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));
const minus = (a: Shape, b: Shape): Shape => (x, y) => a(x, y) && !b(x, y);

/** Share of each pixel covered by `shape`, from an n×n grid of samples. */
function coverage(size: number, shape: Shape, n = 4): Float64Array {
  const out = new Float64Array(size * size);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          if (shape((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size)) hits++;
        }
      }
      out[py * size + px] = hits / (n * n);
    }
  }
  return out;
}

/** #RRGGBB → [r, g, b]. */
function rgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #RRGGBB colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** The filled house, inside the safe zone (0.1875..0.8125): roof with chimney, walls with a door, and the plot line below. */
const solidHouse: Shape = minus(
  union(
    polygon([[0.5, 0.2], [0.8, 0.48], [0.2, 0.48]]),
    rect(0.63, 0.26, 0.7, 0.4),
    rect(0.28, 0.47, 0.72, 0.745),
    rect(0.2, 0.77, 0.8, 0.8),
  ),
  rect(0.445, 0.58, 0.555, 0.745),
);

/** The outline house for 32 px: roof line, walls, door and plot line, strokes about 2 px wide. */
const outlineHouse: Shape = union(
  stroke([[0.13, 0.5], [0.5, 0.15], [0.87, 0.5]], 0.075),
  stroke([[0.25, 0.45], [0.25, 0.84]], 0.065),
  stroke([[0.75, 0.45], [0.75, 0.84]], 0.065),
  rect(0.44, 0.6, 0.56, 0.84),
  rect(0.06, 0.84, 0.94, 0.905),
);

/** 192×192, full colour: white house on the accent colour, edges anti-aliased. */
export function colorIcon(background: string, size = 192): Image {
  const [br, bg, bb] = rgb(background);
  const cov = coverage(size, solidHouse);
  const pixels = new Uint8Array(size * size * 4);
  cov.forEach((c, i) => {
    pixels[i * 4] = Math.round(br + (255 - br) * c);
    pixels[i * 4 + 1] = Math.round(bg + (255 - bg) * c);
    pixels[i * 4 + 2] = Math.round(bb + (255 - bb) * c);
    pixels[i * 4 + 3] = 255;
  });
  return { width: size, height: size, pixels };
}

/**
 * 32×32 outline: every pixel is white, either opaque or fully transparent (no partial alpha, so
 * Teams' "white and transparent only" rule holds under any reading).
 */
export function outlineIcon(size = 32): Image {
  const cov = coverage(size, outlineHouse);
  const pixels = new Uint8Array(size * size * 4);
  cov.forEach((c, i) => {
    pixels.set([255, 255, 255, c >= 0.5 ? 255 : 0], i * 4);
  });
  return { width: size, height: size, pixels };
}
