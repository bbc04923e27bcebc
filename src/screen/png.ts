// A minimal PNG encoder (8-bit RGB, no filtering) for terminal graphics protocols that take an
// image file (iTerm2) and for tests; zlib and CRC-32 come from Node.
import { createRequire } from 'node:module';

type Zlib = typeof import('node:zlib');
let loaded: Zlib | undefined;
/** Node's zlib on first use: loading it was 3-4 ms of every UI start, and most draw no picture. */
const zlib = (): Zlib => (loaded ??= createRequire(import.meta.url)('node:zlib') as Zlib);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib().crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

export function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib().deflateSync(raw, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Width and height of a PNG (from IHDR), or undefined when it is not one. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (b.length < 24 || b.readUInt32BE(0) !== 0x89504e47 || b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
