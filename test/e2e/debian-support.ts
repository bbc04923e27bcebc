// The Debian test image (scripts/guest/build-debian-image.sh, cached; test.sh exports
// VMTUI_TEST_DEBIAN_DIR), a VM made from it, and a banner probe.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import type { HelperApi } from '../../src/rpc/api.js';
import type { VMCreateParams, VMInfo } from '../../src/rpc/protocol.js';

/** debian.raw, or undefined (with the reason) when the image has not been built here. */
export function debianImage(): { path?: string; why?: string } {
  const dir = process.env.VMTUI_TEST_DEBIAN_DIR;
  if (!dir) return { why: 'VMTUI_TEST_DEBIAN_DIR is not set (scripts/test.sh sets it once the Debian image is built)' };
  const path = join(dir, 'debian.raw');
  return existsSync(path) ? { path } : { why: `${path} does not exist; build it with scripts/guest/build-debian-image.sh ${dir}` };
}

/** A stopped VM made from the image by the helper (its disk imported, a seed with a test key). */
export async function debianVm(client: HelperApi, home: string, name: string, image: string, extra: Partial<VMCreateParams> = {}): Promise<VMInfo> {
  // A throwaway key of the test's own: the seed puts its public half in the guest, and `vmtui ssh`
  // logs in with the private half next to it.
  const key = join(home, `${name}-key`);
  if (!existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vmtui-test', '-f', key]);
  const params: VMCreateParams & { image: string } = {
    name, cpuCount: 2, memoryBytes: 1024 * 2 ** 20, diskBytes: statSync(image).size, boot: { kind: 'efi' }, sparseOvercommit: true, image,
    sshKeyFiles: [`${key}.pub`], ...extra,
  };
  return client.createVm(params);
}

export function placeImage(disk: string, image: string): void {
  try {
    execFileSync('cp', ['--sparse=always', '--reflink=auto', image, disk]);
  } catch {
    copyFileSync(image, disk);
  }
}

/** True when host:port answers with a line starting "SSH-" within `timeoutMs`. */
export function bannerAnswers(port: number, timeoutMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let text = '';
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.split('\n').some((l) => l.startsWith('SSH-'))) done(true);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
