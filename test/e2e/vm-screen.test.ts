// The guest's screen on QEMU, end to end, with one booted guest shared by every check: the tiny
// ISO's GRUB menu (build-tiny-iso.sh --menu, no timeout) drawn by OVMF on standard VGA.
// vm/screenshot (and `vmtui screenshot`) gives a real PNG, a key moves the menu selection, a VNC
// client reads the framebuffer over the bundle's unix socket, and the TUI's screen view in tmux
// draws half-blocks that change after a key. A second guest serves VNC on 127.0.0.1 with a password
// (--vnc tcp): the helper's own RFB client reads its frames with that password.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { vmScreenFrameRequest, vmScreenshotRequest, vmSendKeysRequest, vmVncRequest, type ScreenFrameResult } from '../../src/rpc/protocol.js';
import { decodePng } from '../helpers/pngDecode.js';
import { cliPath, repoRoot } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
const name = 'screen';
const tcpName = 'screen-tcp';

function menuIso(): string {
  const dir = process.env.VMTUI_TEST_ISO_DIR ?? join(tmpdir(), 'vmtui-test-iso');
  execFileSync('bash', [join(repoRoot, 'scripts/guest/build-tiny-iso.sh'), '--menu', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  return join(dir, 'menu.iso');
}

const frame = (previous?: string) =>
  s.client.request(vmScreenFrameRequest, { name, width: 160, height: 100, ...(previous ? { previous } : {}) });

/** Waits until the screen holds still (GRUB draws its menu slowly under TCG): two grabs in a row alike. */
async function settled(): Promise<ScreenFrameResult> {
  let last = await frame();
  return waitFor(async () => {
    const f = await frame(last.digest);
    if (f.digest === last.digest) return f;
    last = f;
    return undefined;
  }, 'the guest screen to hold still', 120_000, 300);
}

before(async () => {
  s = await vmSession();
  const vm = await s.client.createVm({ name, cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso: menuIso() } });
  assert.deepEqual(vm.display, { width: 1280, height: 800 }, 'an ISO install gets a screen by default');
  await s.client.createVm({ name: tcpName, cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso: menuIso() }, vnc: 'tcp' });
  // GRUB prints its menu on the serial console too: once it is there, it is on the screen.
  await Promise.all([name, tcpName].map(async (vm) => {
    await s.client.startVm(vm);
    const console = await ConsoleWatch.attach(s.client, vm, false);
    try {
      await console.line('second entry', 300_000);
    } finally {
      console.dispose();
    }
  }));
  await settled();
});
after(async () => { await s.close(); });

test('a screenshot is a PNG of the screen size, not one colour; `vmtui screenshot` writes the same kind of file', async () => {
  const shot = await s.client.request(vmScreenshotRequest, { name, format: 'png' });
  const png = decodePng(Buffer.from(shot.pngBase64, 'base64'));
  assert.deepEqual([png.width, png.height], [shot.width, shot.height]);
  const f = await frame();
  assert.deepEqual([shot.width, shot.height], [f.sourceWidth, f.sourceHeight]);
  assert.deepEqual([shot.width, shot.height], [1280, 800], 'OVMF takes the size from the VGA device\'s EDID');
  const colours = new Set<number>();
  for (let i = 0; i < png.rgb.length; i += 3) colours.add((png.rgb[i]! << 16) | (png.rgb[i + 1]! << 8) | png.rgb[i + 2]!);
  assert.ok(colours.size >= 2, 'the GRUB menu is on the screen, not a blank one');

  const file = join(s.home.home, 'shot.png');
  await execa('node', [cliPath, 'screenshot', name, file], { env: { ...process.env, ...s.home.env } });
  const saved = decodePng(readFileSync(file));
  assert.deepEqual([saved.width, saved.height], [shot.width, shot.height]);
  const refused = await execa('node', [cliPath, 'screenshot', name, s.home.home], { env: { ...process.env, ...s.home.env }, reject: false });
  assert.notEqual(refused.exitCode, 0);
  assert.match(refused.stderr, /is a folder/);
});

test('an unchanged screen comes back as its digest alone; a key changes it', async () => {
  const first = await frame();
  assert.ok(first.rgbBase64, 'the first frame carries pixels');
  assert.equal(Buffer.from(first.rgbBase64, 'base64').length, first.width * first.height * 3);
  const same = await settled();
  assert.equal(same.digest, first.digest, 'the menu was already still (before() waited for it)');
  assert.equal(same.rgbBase64, undefined, 'no pixels for a frame the client has');

  await s.client.request(vmSendKeysRequest, { name, keys: ['Down'] });
  const moved: ScreenFrameResult = await waitFor(async () => {
    const f = await frame(first.digest);
    return f.digest !== first.digest ? f : undefined;
  }, 'the menu selection to move after Down', 60_000, 200);
  assert.ok(moved.rgbBase64);
  await assert.rejects(s.client.request(vmSendKeysRequest, { name, keys: ['Hyper-Q'] }), /not a key vmtui can send/);
});

/** Reads exactly n bytes from a socket, with a deadline. */
function reader(sock: Socket) {
  let buf = Buffer.alloc(0);
  const waiters: (() => void)[] = [];
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    waiters.splice(0).forEach((w) => w());
  });
  return async (n: number): Promise<Buffer> => {
    const deadline = Date.now() + 30_000;
    while (buf.length < n) {
      if (Date.now() > deadline) throw new Error(`the VNC server sent ${buf.length} of ${n} bytes in 30 s`);
      await new Promise<void>((done) => { waiters.push(done); setTimeout(done, 500); });
    }
    const out = buf.subarray(0, n);
    buf = buf.subarray(n);
    return out;
  };
}

test('a VNC client connects to the unix socket without a password and reads a framebuffer', async () => {
  const vnc = await s.client.request(vmVncRequest, { name });
  assert.equal(vnc.socketPath, join(s.home.home, 'vms', name, 'vnc.sock'));
  const sock = connect(vnc.socketPath!);
  try {
    const read = reader(sock);
    assert.match((await read(12)).toString('latin1'), /^RFB 003\.00\d\n$/);
    sock.write('RFB 003.008\n');
    const count = (await read(1))[0]!;
    const types = [...(await read(count))];
    assert.ok(types.includes(1), `security type None offered (got ${types.join(',')})`);
    sock.write(Buffer.from([1]));
    assert.equal((await read(4)).readUInt32BE(0), 0, 'security handshake succeeded');
    sock.write(Buffer.from([1])); // ClientInit: shared
    const init = await read(24);
    const width = init.readUInt16BE(0), height = init.readUInt16BE(2), bpp = init[4]!;
    await read(init.readUInt32BE(20)); // the desktop name
    const f = await frame();
    assert.deepEqual([width, height], [f.sourceWidth, f.sourceHeight]);
    const request = Buffer.alloc(10);
    request[0] = 3; // FramebufferUpdateRequest, not incremental, the whole screen
    request.writeUInt16BE(width, 6);
    request.writeUInt16BE(height, 8);
    sock.write(request);
    const head = await read(4);
    assert.equal(head[0], 0, 'a FramebufferUpdate');
    let pixels = 0;
    for (let r = 0; r < head.readUInt16BE(2); r++) {
      const rect = await read(12);
      const w = rect.readUInt16BE(4), h = rect.readUInt16BE(6);
      assert.equal(rect.readInt32BE(8), 0, 'raw encoding (no SetEncodings was sent)');
      await read((w * h * bpp) / 8);
      pixels += w * h;
    }
    assert.equal(pixels, width * height, 'the update covers the screen');
  } finally {
    sock.destroy();
  }
});

test('--vnc tcp: 127.0.0.1 with a password made at start; only VNC Authentication is offered, and the helper reads frames with it', async () => {
  const vnc = await s.client.request(vmVncRequest, { name: tcpName });
  assert.equal(vnc.socketPath, undefined);
  const m = /^127\.0\.0\.1:(\d+)$/.exec(vnc.address ?? '');
  assert.ok(m, `a loopback address (got ${vnc.address})`);
  assert.match(vnc.password ?? '', /^[A-Za-z0-9]{8}$/);
  assert.deepEqual(await s.client.request(vmVncRequest, { name: tcpName }), vnc, 'the same password for this run');

  const sock = connect(Number(m[1]), '127.0.0.1');
  try {
    const read = reader(sock);
    assert.match((await read(12)).toString('latin1'), /^RFB 003\.00\d\n$/);
    sock.write('RFB 003.008\n');
    const types = [...(await read((await read(1))[0]!))];
    assert.deepEqual(types, [2], 'VNC Authentication only: no way in without the password');
  } finally {
    sock.destroy();
  }
  // The helper's RFB client answers QEMU's DES challenge with the password, or there is no frame.
  const f = await waitFor(async () => {
    const got = await s.client.request(vmScreenFrameRequest, { name: tcpName, width: 160, height: 100 });
    const rgb = Buffer.from(got.rgbBase64!, 'base64');
    return rgb.some((v, i) => v !== rgb[i % 3]) ? got : undefined;
  }, 'a frame that is not one colour', 60_000, 200);
  assert.deepEqual([f.sourceWidth, f.sourceHeight], [1280, 800]);
  const shot = await s.client.request(vmScreenshotRequest, { name: tcpName });
  assert.deepEqual([shot.width, shot.height], [1280, 800]);
});

test('the TUI screen view in tmux draws half-blocks that change after a key', async () => {
  const socket = join(s.home.home, 'tmux.sock');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args]);
  const vars = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, TERM: 'xterm-256color', COLORTERM: 'truecolor', ...s.home.env };
  const exports = Object.entries(vars).map(([k, v]) => `export ${k}='${v}';`).join(' ');
  await tmux('new-session', '-d', '-s', 'main', '-x', '100', '-y', '40', 'sh', '-c', `unset CI; ${exports} node '${cliPath}'`);
  const capture = async () => (await tmux('capture-pane', '-p', '-e', '-t', 'main')).stdout;
  try {
    await waitFor(async () => (await capture()).includes(name), 'the dashboard to list the VM', 30_000, 200);
    await tmux('send-keys', '-t', 'main', 'v');
    const picture = (text: string) => text.split('\n').filter((l) => l.includes('▀')).join('\n');
    const before = await waitFor(async () => {
      const text = await capture();
      return text.includes('Screen · screen') && picture(text).length > 0 ? picture(text) : undefined;
    }, 'the screen view to draw half-blocks', 30_000, 200);
    assert.match(before, /\u001B\[38;2;\d+;\d+;\d+/, '24-bit colour with COLORTERM=truecolor');
    await tmux('send-keys', '-t', 'main', 'Up');
    await waitFor(async () => picture(await capture()) !== before, 'the picture to change after Up', 60_000, 200);
    await tmux('send-keys', '-t', 'main', 'C-]');
    await waitFor(async () => (await capture()).includes('Left the screen'), 'Ctrl-] to leave the screen view', 15_000, 200);
  } finally {
    await tmux('kill-server').catch(() => undefined);
  }
});
