// `vmtui ip NAME [--wait]`: where to reach a running guest, and which source said so.
import type { HelperApi } from '../rpc/api.js';
import type { GuestAddress, VMIPResult } from '../rpc/protocol.js';
import { sshAdvice } from '../format/vm.js';
import { flag, stringOption } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError } from './exitCodes.js';
import { withClient, writeJson } from './io.js';
import { parseSeconds } from '../format/sizes.js';

const DEFAULT_WAIT_MS = 120_000;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

const sourceWords: Record<GuestAddress['source'], string> = {
  dhcpLeases: 'the DHCP leases',
  arp: 'the ARP table',
  guestConsole: "the guest's console",
  userNet: "QEMU's user-mode network",
};

export function addressSentence(address: GuestAddress): string {
  const age = address.ageSeconds < 1 ? 'just now' : `${Math.round(address.ageSeconds)} s ago`;
  return `${address.ip} (from ${sourceWords[address.source]}, seen ${age})`;
}

/** The lines `vmtui ip` prints: the address with its source, then how to SSH in, or the note. */
export function ipLines(result: VMIPResult): string {
  const lines: string[] = [];
  if (result.address) lines.push(addressSentence(result.address));
  if (result.sshAddress) lines.push(`SSH: ${sshAdvice(result.sshAddress)}`);
  if (!result.address && result.note) lines.push(result.note);
  return lines.join('\n') + '\n';
}

async function waitForIp(client: HelperApi, name: string, timeoutMs: number): Promise<VMIPResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await client.getIp(name);
    if (result.address || result.sshAddress) return result;
    if (Date.now() > deadline) {
      throw new CommandError(`VM '${name}' has no address after ${Math.round(timeoutMs / 1000)} s. ${result.note ?? ''}`.trim());
    }
    await sleep(1000);
  }
}

export const ipCommand: Command = {
  spec: {
    name: 'ip',
    positionals: ['NAME'],
    options: {
      wait: { description: 'poll until the guest has an address' },
      timeout: { value: 'SECONDS', description: `with --wait: give up after this long (default ${DEFAULT_WAIT_MS / 1000})` },
      ...jsonOption,
    },
    summary: "Show a running VM's address, which source gave it and how old it is, and how to SSH to it.",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const name = args.positionals[0] ?? '';
      const timeout = stringOption(args, 'timeout');
      const result = flag(args, 'wait')
        ? await waitForIp(client, name, timeout === undefined ? DEFAULT_WAIT_MS : parseSeconds(timeout, '--timeout'))
        : await client.getIp(name);
      if (flag(args, 'json')) writeJson(io, result);
      else io.stdout.write(ipLines(result) + (result.sshAddress ? `Or log in with 'vmtui ssh ${name}': it knows the port, the user and the key.\n` : ''));
      if (!result.address && !result.sshAddress) throw new CommandError(result.note ?? `VM '${name}' has no address yet.`);
    }),
};
