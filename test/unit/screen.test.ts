import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { colorModeFor, fitFrame, frameToCells, to256 } from '../../src/screen/cells.js';
import { inputToKeys } from '../../src/screen/keys.js';
import { besideReplies, chooseGraphics, graphicsChoice, imageSequence, iterm2Image, KITTY_CLEAR, kittyImage, needsQuery, queryComplete, sixelImage } from '../../src/screen/graphics.js';
import { drawOverlay, setOverlay, setOverlayTarget } from '../../src/screen/overlay.js';
import { encodePng, pngSize } from '../../src/screen/png.js';
import { parseDisplaySize } from '../../src/commands/display.js';
import { openPngTarget, vncLines } from '../../src/commands/screen.js';
import { withTempFolder } from '../helpers/home.js';

const ESC = '\u001B';
// 2×2: red, green / blue, white
const rgb2x2 = new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);

test('half-block cells: top pixel is the foreground, bottom the background (truecolor)', () => {
  const lines = frameToCells(rgb2x2, 2, 2, 2, 1, 'truecolor');
  assert.deepEqual(lines, [`${ESC}[38;2;255;0;0;48;2;0;0;255m▀${ESC}[38;2;0;255;0;48;2;255;255;255m▀${ESC}[0m`]);
});

test('half-block cells repeat no colour codes for runs, and pad missing pixels with black', () => {
  const grey = new Uint8Array(3 * 3).fill(128); // 3×1
  const [line] = frameToCells(grey, 3, 1, 4, 1, 'truecolor');
  assert.equal(line, `${ESC}[38;2;128;128;128;48;2;0;0;0m▀▀▀${ESC}[38;2;0;0;0m▀${ESC}[0m`);
});

test('256-colour mode maps to the xterm cube and grey ramp', () => {
  assert.equal(to256(255, 0, 0), 196);
  assert.equal(to256(0, 0, 0), 16);
  assert.equal(to256(255, 255, 255), 231);
  assert.equal(to256(128, 128, 128), 244);
  const [line] = frameToCells(rgb2x2, 2, 2, 2, 1, '256');
  assert.ok(line!.startsWith(`${ESC}[38;5;196;48;5;21m▀`), JSON.stringify(line));
  assert.equal(colorModeFor({ COLORTERM: 'truecolor' }), 'truecolor');
  assert.equal(colorModeFor({ COLORTERM: '24bit' }), 'truecolor');
  assert.equal(colorModeFor({}), '256');
});

test('fitFrame keeps the aspect ratio and never scales up', () => {
  assert.deepEqual(fitFrame(1280, 800, 160, 100), { width: 160, height: 100 });
  assert.deepEqual(fitFrame(1280, 800, 160, 94), { width: 150, height: 94 });
  assert.deepEqual(fitFrame(640, 480, 1000, 1000), { width: 640, height: 480 });
});

test('terminal input becomes key names for vm/sendKeys', () => {
  assert.deepEqual(inputToKeys('ab\r'), ['a', 'b', 'Enter']);
  assert.deepEqual(inputToKeys(`${ESC}[A${ESC}[B${ESC}OC`), ['Up', 'Down', 'Right']);
  assert.deepEqual(inputToKeys(`${ESC}`), ['Esc']);
  assert.deepEqual(inputToKeys('\t\u007f'), ['Tab', 'Backspace']);
  assert.deepEqual(inputToKeys('\u0003'), ['Ctrl-c']);
  assert.deepEqual(inputToKeys(`${ESC}x`), ['Alt-x']);
  assert.deepEqual(inputToKeys(`${ESC}OP${ESC}[15~${ESC}[24~`), ['F1', 'F5', 'F12']);
  assert.deepEqual(inputToKeys('é!'), ['!'], 'no US key types é');
});

test('PNG encoder writes a PNG that inflates back to the pixels', () => {
  const png = encodePng(rgb2x2, 2, 2);
  assert.deepEqual(pngSize(png), { width: 2, height: 2 });
  const idatLen = png.readUInt32BE(33);
  assert.equal(png.toString('latin1', 37, 41), 'IDAT');
  const raw = inflateSync(png.subarray(41, 41 + idatLen));
  assert.deepEqual([...raw], [0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  assert.equal(pngSize(new Uint8Array([1, 2, 3])), undefined);
});

test('kitty: APC with raw RGB, chunked at 4096 base64 bytes with m=1 … m=0', () => {
  const one = kittyImage(rgb2x2, 2, 2, 1, 1);
  assert.equal(one, `${ESC}_Ga=T,f=24,s=2,v=2,c=1,r=1,q=2,m=0;${Buffer.from(rgb2x2).toString('base64')}${ESC}\\`);
  const big = new Uint8Array(100 * 100 * 3);
  const chunks = kittyImage(big, 100, 100, 10, 5).split(`${ESC}\\`).filter((c) => c !== '');
  assert.equal(chunks.length, Math.ceil(Buffer.from(big).toString('base64').length / 4096));
  assert.ok(chunks[0]!.startsWith(`${ESC}_Ga=T,f=24,s=100,v=100,c=10,r=5,q=2,m=1;`));
  assert.ok(chunks.at(-1)!.startsWith(`${ESC}_Gm=0;`));
});

test('iTerm2: OSC 1337 inline PNG ended by BEL', () => {
  const seq = iterm2Image(rgb2x2, 2, 2, 4, 2);
  const m = /^\u001B\]1337;File=inline=1;size=(\d+);width=4;height=2;preserveAspectRatio=0:([A-Za-z0-9+/=]+)\u0007$/.exec(seq);
  assert.ok(m, JSON.stringify(seq.slice(0, 80)));
  const png = Buffer.from(m[2]!, 'base64');
  assert.equal(png.length, Number(m[1]));
  assert.deepEqual(pngSize(png), { width: 2, height: 2 });
});

test('sixel: DCS q with raster size, palette and one band of sixels', () => {
  const seq = sixelImage(rgb2x2, 2, 2);
  // Red = cube 180, green 30, blue 5, white 215; rows 0 and 1 are bits 1 and 2: '@' (63+1), 'A' (63+2).
  assert.equal(
    seq,
    `${ESC}Pq"1;1;2;2#5;2;0;0;100#30;2;0;100;0#180;2;100;0;0#215;2;100;100;100` + '#5A?$#30?@$#180@?$#215?A-' + `${ESC}\\`,
  );
  const wide = sixelImage(new Uint8Array(10 * 1 * 3), 10, 1);
  assert.ok(wide.includes('#0!10@'), 'runs longer than 3 are run-length encoded');
});

test('graphics choice: override, then the terminal\'s replies, then iTerm2 variables, else blocks', () => {
  assert.equal(chooseGraphics({ VMTUI_GRAPHICS: 'sixel' }, `${ESC}_Gi=31;OK${ESC}\\`), 'sixel');
  assert.equal(chooseGraphics({}, `${ESC}_Gi=31;OK${ESC}\\${ESC}[?62;4;22c`), 'kitty');
  assert.equal(chooseGraphics({}, `${ESC}[?62;4;22c`), 'sixel');
  assert.equal(chooseGraphics({}, `${ESC}[?62;22c`), 'blocks');
  assert.equal(chooseGraphics({ LC_TERMINAL: 'iTerm2' }, ''), 'iterm2');
  assert.equal(chooseGraphics({ VMTUI_GRAPHICS: 'bogus' }, ''), 'blocks');
  assert.equal(chooseGraphics({ TERM_PROGRAM: 'iTerm.app' }, ''), 'iterm2');
  assert.equal(chooseGraphics({}, `${ESC}[?1;2;4c`), 'sixel', 'a DA1 whose first attribute is not 62 still lists sixel');
});

test('graphics choice inside tmux: half-blocks, and the terminal is not asked', () => {
  const tmux = { TMUX: '/tmp/tmux-0/default,1,0', TERM: 'screen-256color' };
  assert.equal(needsQuery(tmux), false);
  assert.equal(chooseGraphics(tmux, `${ESC}_Gi=31;OK${ESC}\\${ESC}[?62;4c`), 'blocks', 'tmux answers for itself');
  assert.equal(chooseGraphics({ ...tmux, LC_TERMINAL: 'iTerm2' }, ''), 'blocks');
  assert.equal(chooseGraphics({ ...tmux, VMTUI_GRAPHICS: 'kitty' }, ''), 'kitty', 'the override still wins');
  assert.equal(needsQuery({ TERM: 'xterm-256color' }), true);
  assert.equal(needsQuery({ VMTUI_GRAPHICS: 'sixel' }), false);
});

test('the query is complete once DA1 has come, kitty reply or not', () => {
  assert.equal(queryComplete(`${ESC}_Gi=31;OK${ESC}\\`), false);
  assert.equal(queryComplete(`${ESC}_Gi=31;OK${ESC}\\${ESC}[?62;22c`), true);
  assert.equal(queryComplete(`${ESC}[?6c`), true);
});

test('keys typed while the replies travelled are kept, in order; no part of a reply is', () => {
  assert.equal(besideReplies(`j${ESC}_Gi=31;OK${ESC}\\k${ESC}[?62;22cq`), 'jkq');
  assert.equal(besideReplies(`${ESC}[?6c`), '');
  assert.equal(besideReplies(`?${ESC}[A`), `?${ESC}[A`, 'an arrow key is a key');
  assert.equal(besideReplies(`j${ESC}_Gi=31;ENOENT:no such file${ESC}\\`), 'j', 'an error reply is a reply');
  assert.equal(besideReplies(`j${ESC}_Gi=31;O`), 'j', 'a reply cut off by the deadline');
});

test('view choice: half-block colours from COLORTERM, or forced to 24-bit or 256', () => {
  assert.deepEqual(graphicsChoice({ COLORTERM: 'truecolor' }, ''), { mode: 'blocks', color: 'truecolor' });
  assert.deepEqual(graphicsChoice({}, ''), { mode: 'blocks', color: '256' });
  assert.deepEqual(graphicsChoice({ VMTUI_GRAPHICS: 'halfblock' }, ''), { mode: 'blocks', color: 'truecolor' });
  assert.deepEqual(graphicsChoice({ VMTUI_GRAPHICS: '256', COLORTERM: 'truecolor' }, ''), { mode: 'blocks', color: '256' });
  assert.deepEqual(graphicsChoice({ COLORTERM: '24bit' }, `${ESC}_Gi=31;OK${ESC}\\${ESC}[?62c`), { mode: 'kitty', color: 'truecolor' });
});

test('image sequences: kitty replaces the previous picture; overlay redrawn after renders (kitty once)', () => {
  const k = imageSequence('kitty', rgb2x2, 2, 2, 1, 1);
  assert.ok(k.startsWith(KITTY_CLEAR) && k.includes('a=T,f=24,s=2,v=2,c=1,r=1'));
  assert.ok(imageSequence('iterm2', rgb2x2, 2, 2, 1, 1).startsWith(`${ESC}]1337;File=`));
  assert.ok(imageSequence('sixel', rgb2x2, 2, 2, 1, 1).startsWith(`${ESC}Pq`));
  const written: string[] = [];
  setOverlayTarget({ write: (t: string) => written.push(t) });
  setOverlay('SIXEL', false);
  drawOverlay();
  drawOverlay();
  assert.deepEqual(written, [`${ESC}7${ESC}[2;1HSIXEL${ESC}8`, `${ESC}7${ESC}[2;1HSIXEL${ESC}8`], 'sixel cells are redrawn after every render');
  written.length = 0;
  setOverlay('KITTY', true);
  drawOverlay();
  drawOverlay();
  assert.equal(written.length, 1, 'a kitty picture is on its own layer: written once');
  setOverlay(undefined, true);
  assert.equal(written[1], `${ESC}_Ga=d,q=2${ESC}\\`, 'leaving the view deletes the kitty picture');
  drawOverlay();
  assert.equal(written.length, 2);
});

test('--display takes WxH', () => {
  assert.deepEqual(parseDisplaySize('1280x800'), { width: 1280, height: 800 });
  assert.deepEqual(parseDisplaySize('1024×768'), { width: 1024, height: 768 });
  assert.throws(() => parseDisplaySize('big'), /WIDTHxHEIGHT/);
});

test('vnc lines: the socket, the ssh -L line and the vnc:// URL', () => {
  const text = vncLines('dev', { socketPath: '/v/dev/vnc.sock' }, 'me@box');
  assert.match(text, /unix socket \/v\/dev\/vnc\.sock/);
  assert.match(text, /ssh -N -L 5900:\/v\/dev\/vnc\.sock me@box/);
  assert.match(text, /vnc:\/\/localhost:5900/);
  const tcp = vncLines('dev', { address: '127.0.0.1:5901', password: 'pw' }, 'me@box');
  assert.match(tcp, /with the password pw/);
  assert.match(tcp, /ssh -N -L 5900:127\.0\.0\.1:5901 me@box/);
  assert.match(tcp, /vnc:\/\/:pw@localhost:5900 /, 'the URL carries the password for Screen Sharing');
  assert.doesNotMatch(text, /vnc:\/\/:/, 'no password in the socket URL');
  assert.throws(() => vncLines('dev', {}, 'me@box'), /no VNC server/);
});

test('screenshot target: refuses a symlink and a folder, writes a plain file', async () => {
  await withTempFolder('shot', async (dir) => {
    writeFileSync(join(dir, 'real.png'), 'old');
    symlinkSync(join(dir, 'real.png'), join(dir, 'link.png'));
    mkdirSync(join(dir, 'folder'));
    assert.throws(() => openPngTarget(join(dir, 'link.png')), /symbolic link/);
    assert.throws(() => openPngTarget(join(dir, 'folder')), /is a folder/);
    assert.equal(readFileSync(join(dir, 'real.png'), 'utf8'), 'old', 'the link target is untouched');
    closeSync(openPngTarget(join(dir, 'new.png')));
    assert.equal(readFileSync(join(dir, 'new.png')).length, 0);
  });
});
