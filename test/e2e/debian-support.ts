// The Debian test image (scripts/guest/build-debian-image.sh, cached; test.sh exports
// VMTUI_TEST_DEBIAN_DIR) and a banner probe. Until `vmtui create --image` is on this branch, a
// VM is made with EFI boot and the image is copied over its disk.img while it is stopped.
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

/**
 * A stopped EFI VM whose disk is a fresh sparse copy of the image. `image` goes to vm/create too
 * (the images branch's parameter: there the helper imports the disk itself, and provisioning adds
 * its seed); a helper without it ignores the key and the copy below makes the disk.
 */
export async function debianVm(client: HelperApi, home: string, name: string, image: string): Promise<VMInfo> {
  const params: VMCreateParams & { image: string } = {
    name, cpuCount: 2, memoryBytes: 1024 * 2 ** 20, diskBytes: statSync(image).size, boot: { kind: 'efi' }, sparseOvercommit: true, image,
  };
  const vm = await client.createVm(params);
  placeImage(join(home, 'vms', name, 'disk.img'), image);
  return vm;
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
