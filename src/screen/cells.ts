// Framebuffer → terminal cells: each cell is an upper half block "▀" whose foreground is the top
// pixel and background the bottom one, so a columns×rows view shows columns×(rows·2) pixels.
// Pure: the screen view and its tests call it the same way.

export type ColorMode = 'truecolor' | '256';

/** 24-bit colour where COLORTERM says so, 256 colours elsewhere (ssh passes COLORTERM only when configured). */
export function colorModeFor(env: NodeJS.ProcessEnv): ColorMode {
  const c = (env.COLORTERM ?? '').toLowerCase();
  return c === 'truecolor' || c === '24bit' ? 'truecolor' : '256';
}

const cube = [0, 95, 135, 175, 215, 255];
const cubeIndex = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.min(5, Math.floor((v - 35) / 40)));

/** The xterm 256-colour index nearest to an RGB colour: the 6×6×6 cube or the grey ramp. */
export function to256(r: number, g: number, b: number): number {
  const ri = cubeIndex(r), gi = cubeIndex(g), bi = cubeIndex(b);
  const cr = cube[ri]!, cg = cube[gi]!, cb = cube[bi]!;
  const cubeDist = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
  const avg = Math.round((r + g + b) / 3);
  const grey = Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  const gv = 8 + grey * 10;
  const greyDist = (r - gv) ** 2 + (g - gv) ** 2 + (b - gv) ** 2;
  return greyDist < cubeDist ? 232 + grey : 16 + 36 * ri + 6 * gi + bi;
}

function sgr(mode: ColorMode, fg: boolean, c: number): string {
  const r = c >> 16, g = (c >> 8) & 0xff, b = c & 0xff;
  if (mode === 'truecolor') return `${fg ? 38 : 48};2;${r};${g};${b}`;
  return `${fg ? 38 : 48};5;${to256(r, g, b)}`;
}

/**
 * Lines of half-block cells for an RGB frame (width·height·3 bytes). `columns`×`rows` cells show
 * the top-left columns×rows·2 pixels; a missing bottom row is black. Colour codes are written only
 * where they change, and every line ends with a reset.
 */
export function frameToCells(rgb: Uint8Array, width: number, height: number, columns: number, rows: number, mode: ColorMode): string[] {
  const lines: string[] = [];
  // Colours as 0xRRGGBB; in 256-colour mode, the palette index, so equal cells compare equal.
  const px = (x: number, y: number): number => {
    if (x >= width || y >= height) return 0;
    const i = (y * width + x) * 3;
    return (rgb[i]! << 16) | (rgb[i + 1]! << 8) | rgb[i + 2]!;
  };
  const key = mode === 'truecolor' ? (c: number) => c : (c: number) => to256(c >> 16, (c >> 8) & 0xff, c & 0xff);
  for (let row = 0; row < rows; row++) {
    const parts: string[] = [];
    let lastFg = -1, lastBg = -1;
    for (let x = 0; x < columns; x++) {
      const top = px(x, row * 2), bottom = px(x, row * 2 + 1);
      const fk = key(top), bk = key(bottom);
      if (fk !== lastFg && bk !== lastBg) parts.push(`\u001B[${sgr(mode, true, top)};${sgr(mode, false, bottom)}m`);
      else if (fk !== lastFg) parts.push(`\u001B[${sgr(mode, true, top)}m`);
      else if (bk !== lastBg) parts.push(`\u001B[${sgr(mode, false, bottom)}m`);
      parts.push('▀');
      lastFg = fk;
      lastBg = bk;
    }
    parts.push('\u001B[0m');
    lines.push(parts.join(''));
  }
  return lines;
}

/** The largest size with the source's aspect ratio inside maxW×maxH (half-block pixels are square). */
export function fitFrame(sourceWidth: number, sourceHeight: number, maxW: number, maxH: number): { width: number; height: number } {
  if (sourceWidth <= 0 || sourceHeight <= 0) return { width: maxW, height: maxH };
  const scale = Math.min(maxW / sourceWidth, maxH / sourceHeight, 1);
  return { width: Math.max(1, Math.floor(sourceWidth * scale)), height: Math.max(1, Math.floor(sourceHeight * scale)) };
}
