// Terminal graphics protocols as pure encoders, and the choice between them. The live screen
// view uses one where the terminal shows full resolution, else half-blocks (cells.ts).
import { colorModeFor, type ColorMode } from './cells.js';
import { encodePng } from './png.js';

export type GraphicsMode = 'kitty' | 'iterm2' | 'sixel' | 'blocks';

const ESC = '\u001B';
const ST = `${ESC}\\`;

/** kitty graphics protocol: raw RGB (f=24), placed over columns×rows cells, in 4096-byte chunks. */
export function kittyImage(rgb: Uint8Array, width: number, height: number, columns: number, rows: number): string {
  const data = Buffer.from(rgb.buffer, rgb.byteOffset, width * height * 3).toString('base64');
  const parts: string[] = [];
  for (let i = 0; i < data.length || i === 0; i += 4096) {
    const piece = data.slice(i, i + 4096);
    const more = i + 4096 < data.length ? 1 : 0;
    const keys = i === 0 ? `a=T,f=24,s=${width},v=${height},c=${columns},r=${rows},q=2,m=${more}` : `m=${more}`;
    parts.push(`${ESC}_G${keys};${piece}${ST}`);
  }
  return parts.join('');
}

/** iTerm2 inline image (OSC 1337), a PNG stretched over columns×rows cells. */
export function iterm2Image(rgb: Uint8Array, width: number, height: number, columns: number, rows: number): string {
  const png = encodePng(rgb, width, height);
  return `${ESC}]1337;File=inline=1;size=${png.length};width=${columns};height=${rows};preserveAspectRatio=0:${png.toString('base64')}\u0007`;
}

/** sixel: colours quantised to a 6×6×6 cube (216 registers), run-length encoded, six rows a band. */
export function sixelImage(rgb: Uint8Array, width: number, height: number): string {
  const level = (v: number) => Math.round((v / 255) * 5);
  const index = new Uint8Array(width * height);
  const used = new Set<number>();
  for (let p = 0; p < width * height; p++) {
    const c = level(rgb[p * 3]!) * 36 + level(rgb[p * 3 + 1]!) * 6 + level(rgb[p * 3 + 2]!);
    index[p] = c;
    used.add(c);
  }
  let out = `${ESC}Pq"1;1;${width};${height}`;
  for (const c of [...used].sort((a, b) => a - b)) {
    const pct = (n: number) => Math.round((n * 100) / 5);
    out += `#${c};2;${pct(Math.floor(c / 36))};${pct(Math.floor(c / 6) % 6)};${pct(c % 6)}`;
  }
  for (let band = 0; band < height; band += 6) {
    const colours = new Set<number>();
    for (let y = band; y < Math.min(band + 6, height); y++) for (let x = 0; x < width; x++) colours.add(index[y * width + x]!);
    const runs: string[] = [];
    for (const c of [...colours].sort((a, b) => a - b)) {
      let line = `#${c}`;
      let prev = '', count = 0;
      const flush = () => {
        if (count === 0) return;
        line += count > 3 ? `!${count}${prev}` : prev.repeat(count);
      };
      for (let x = 0; x < width; x++) {
        let bits = 0;
        for (let r = 0; r < 6 && band + r < height; r++) if (index[(band + r) * width + x] === c) bits |= 1 << r;
        const ch = String.fromCharCode(63 + bits);
        if (ch === prev) count++;
        else {
          flush();
          prev = ch;
          count = 1;
        }
      }
      flush();
      runs.push(line);
    }
    out += runs.join('$') + '-';
  }
  return out + ST;
}

/** The escape sequence drawing an RGB frame over columns×rows cells in an image mode. */
export function imageSequence(mode: Exclude<GraphicsMode, 'blocks'>, rgb: Uint8Array, width: number, height: number, columns: number, rows: number): string {
  if (mode === 'kitty') return KITTY_CLEAR + kittyImage(rgb, width, height, columns, rows);
  if (mode === 'iterm2') return iterm2Image(rgb, width, height, columns, rows);
  return sixelImage(rgb, width, height);
}

/** kitty: deletes the images placed before (a new frame replaces the old, leaving the view too). */
export const KITTY_CLEAR = `${ESC}_Ga=d,q=2${ST}`;

/** What to ask the terminal: a kitty graphics query, then primary device attributes (DA1). */
export const GRAPHICS_QUERY = `${ESC}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA${ST}${ESC}[c`;

/**
 * The protocol to use: VMTUI_GRAPHICS when set ("halfblock" and "256" both mean blocks); else, inside
 * tmux or screen (which pass no graphics protocol through), blocks; else what the terminal answered
 * to GRAPHICS_QUERY (a kitty "OK", a DA1 listing 4 = sixel); else iTerm2 by its own variables
 * (LC_TERMINAL crosses ssh); else half-blocks.
 */
export function chooseGraphics(env: NodeJS.ProcessEnv, reply: string): GraphicsMode {
  const forced = graphicsOverride(env);
  if (forced) return forced.mode;
  if (insideMultiplexer(env)) return 'blocks';
  if (/\u001B_Gi=31;OK/.test(reply)) return 'kitty';
  const da1 = /\u001B\[\?([\d;]*)c/.exec(reply);
  if (da1 && da1[1]!.split(';').includes('4')) return 'sixel';
  if (env.LC_TERMINAL === 'iTerm2' || env.TERM_PROGRAM === 'iTerm.app') return 'iterm2';
  return 'blocks';
}

/** VMTUI_GRAPHICS=kitty|iterm2|sixel|halfblock|256 (and "blocks"); undefined when unset or unknown. */
export function graphicsOverride(env: NodeJS.ProcessEnv): { mode: GraphicsMode; color?: ColorMode } | undefined {
  const forced = env.VMTUI_GRAPHICS?.toLowerCase();
  if (forced === 'kitty' || forced === 'iterm2' || forced === 'sixel' || forced === 'blocks') return { mode: forced };
  if (forced === 'halfblock' || forced === 'halfblocks') return { mode: 'blocks', color: 'truecolor' };
  if (forced === '256') return { mode: 'blocks', color: '256' };
  return undefined;
}

/** tmux and GNU screen: a query would be answered by them, not by the terminal outside. */
export function insideMultiplexer(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.TMUX) || (env.TERM ?? '').startsWith('screen') || (env.TERM ?? '').startsWith('tmux');
}

/** Whether the terminal must be asked at all: not when overridden, nor inside tmux. */
export function needsQuery(env: NodeJS.ProcessEnv): boolean {
  return graphicsOverride(env) === undefined && !insideMultiplexer(env);
}

/**
 * What came in beside the replies to GRAPHICS_QUERY: keys typed while they travelled. A kitty reply
 * cut off at the end (the deadline came first) goes too, so no part of it is read as keys.
 */
export function besideReplies(input: string): string {
  return input.replace(/\u001B_G[^\u001B]*\u001B\\/g, '').replace(/\u001B\[\?[\d;]*c/g, '').replace(/\u001B_G[^\u001B]*$/, '');
}

/** The replies to GRAPHICS_QUERY are complete once DA1 (which every terminal answers) has come. */
export function queryComplete(reply: string): boolean {
  return /\u001B\[\?[\d;]*c/.test(reply);
}

export interface GraphicsChoice {
  mode: GraphicsMode;
  /** Colours of half-blocks: 24-bit where COLORTERM says so (or forced), 256 elsewhere. */
  color: ColorMode;
}

export function graphicsChoice(env: NodeJS.ProcessEnv, reply: string): GraphicsChoice {
  return { mode: chooseGraphics(env, reply), color: graphicsOverride(env)?.color ?? colorModeFor(env) };
}
