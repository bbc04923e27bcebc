// Shared pieces of the end-to-end VM tests: the tiny guest, a helper session with its own
// VMTUI_HOME, a console watcher, and cleanup that never leaves a guest running.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import type { VMCreateParams } from '../../src/rpc/protocol.js';
import { tempHome, type TempHome } from '../helpers/home.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
export const BOOT_TIMEOUT_MS = 120_000;

let guest: { kernel: string; initrd: string } | undefined;

/** The tiny guest's kernel and initrd (built once; test.sh points VMTUI_TEST_GUEST_DIR at a cache). */
export function tinyGuest(): { kernel: string; initrd: string } {
  if (guest) return guest;
  const dir = process.env.VMTUI_TEST_GUEST_DIR ?? join(tmpdir(), 'vmtui-test-guest');
  execFileSync('bash', [join(repo, 'scripts/guest/build-tiny-guest.sh'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  guest = { kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.gz') };
  return guest;
}

let iso: string | undefined;

/** The tiny guest on a UEFI-bootable ISO (built once; test.sh points VMTUI_TEST_ISO_DIR at a cache). */
export function tinyIso(): string {
  if (iso) return iso;
  const dir = process.env.VMTUI_TEST_ISO_DIR ?? join(tmpdir(), 'vmtui-test-iso');
  execFileSync('bash', [join(repo, 'scripts/guest/build-tiny-iso.sh'), dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  iso = join(dir, 'tiny.iso');
  return iso;
}

export function guestParams(name: string, extra: Partial<VMCreateParams> = {}): VMCreateParams {
  const { kernel, initrd } = tinyGuest();
  return {
    name,
    cpuCount: 1,
    memoryBytes: 256 * 2 ** 20,
    diskBytes: 64 * 2 ** 20,
    boot: { kind: 'kernel', kernel, initrd, cmdline: 'console=ttyS0 panic=-1' },
    ...extra,
  };
}

export interface VmSession {
  client: HelperClient;
  home: TempHome;
  /** Another helper process on the same VMTUI_HOME, as a second terminal would start. */
  connect(): Promise<HelperClient>;
  close(): Promise<void>;
}

export async function vmSession(): Promise<VmSession> {
  const home = await tempHome();
  const clients: HelperClient[] = [];
  const connect = async () => {
    const c = await HelperClient.start({ env: home.env });
    await c.initialize();
    clients.push(c);
    return c;
  };
  const client = await connect();
  return {
    client,
    home,
    connect,
    close: async () => {
      killHosts(home.home);
      for (const c of clients) await c.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 }).catch(() => undefined);
      await home.remove();
    },
  };
}

/** Kills every per-VM host (and so its qemu) under this VMTUI_HOME: tests never leave guests behind. */
export function killHosts(home: string): void {
  const vms = join(home, 'vms');
  if (!existsSync(vms)) return;
  for (const name of readdirSync(vms)) {
    for (const pid of [pidIn(join(vms, name, 'host.lock')), pidIn(join(vms, name, 'qemu.pid'))]) {
      if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
  }
}

function pidIn(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the QEMU of VM `name` is doing, for a guest that stopped printing: each thread's name, state
 * (R running, S sleeping), CPU seconds and kernel wait (halted vCPUs sleep; a spinning one runs).
 */
export function qemuThreads(name: string): string {
  const threads: string[] = [];
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!command.includes('qemu-system') || !command.includes(`\0-name\0vmtui-${name}\0`)) continue;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cpu = (Number(fields[11]) + Number(fields[12])) / 100;
        const wchan = readFileSync(`/proc/${pid}/task/${tid}/wchan`, 'utf8');
        threads.push(`${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))} ${fields[0]} ${cpu.toFixed(1)} s ${wchan}`);
      }
    } catch {
      // a process that ended while being read
    }
  }
  return threads.length > 0 ? `QEMU's threads: ${threads.join('; ')}` : `no QEMU process of VM '${name}' is running`;
}

/** Collects a VM's console output (tail + live) and waits for text in it. */
export class ConsoleWatch {
  text = '';
  private readonly sub;

  private constructor(readonly client: HelperClient, readonly name: string) {
    this.sub = client.onConsoleData((p) => {
      if (p.name === name) this.text += p.data;
    });
  }

  /** `withTail: false` ignores console.log's earlier output (lines from a previous boot). */
  static async attach(client: HelperClient, name: string, withTail = true): Promise<ConsoleWatch> {
    const watch = new ConsoleWatch(client, name);
    const { tail } = await client.consoleAttach(name);
    if (withTail) watch.text = tail + watch.text;
    return watch;
  }

  /** Waits for a whole console line containing `needle`. */
  async line(needle: string, timeoutMs = BOOT_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.text.split(/\r?\n/).slice(0, -1).some((l) => l.includes(needle))) {
      if (Date.now() > deadline) {
        throw new Error(`VM '${this.name}' printed no line with '${needle}' in ${timeoutMs} ms; its console ends: ${JSON.stringify(this.text.slice(-400))}; ${qemuThreads(this.name)}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }

  /**
   * Waits until the guest's console loop answers: keys typed in the moment after the boot marker
   * can be lost (nothing reads the serial port yet), as on a real machine.
   */
  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const probe = `ready-${i}`;
      await this.client.consoleWrite(this.name, `${probe}\r`);
      try {
        await this.line(`ECHO: ${probe}`, 1500);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    }
  }

  dispose(): void {
    this.sub.dispose();
  }
}
