// `vmtui host [--json]`: the host facts, for people or for scripts.
import type { HostInfo, InitializeResult } from '../rpc/protocol.js';
import { formatGiB } from '../format/text.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { keyValueBlock, withClient, writeJson } from './io.js';

const rosettaWords = { notSupported: 'not supported', notInstalled: "not installed ('vmtui rosetta install')", installed: 'installed' };

export function hostTable(host: HostInfo, init: InitializeResult): string {
  const yesNo = (b: boolean) => (b ? 'yes' : 'no');
  const rows: [string, string][] = [
    ['Host', host.hostname],
    ['OS', `${host.os.name} ${host.os.version} (kernel ${host.os.kernel})`],
    ['Chip', `${host.chip} (${host.arch})`],
    ['Cores', String(host.cpuCores)],
    ['Memory', formatGiB(host.memoryBytes)],
    ['Disk', `${formatGiB(host.freeDiskBytes)} free of ${formatGiB(host.totalDiskBytes)}`],
    ['Backend', `${init.backend}, accelerator ${host.virtualization.accelerator}${host.virtualization.hardware ? '' : ' (no hardware virtualization)'}`],
    ['Note', host.virtualization.note],
    ['macOS VMs', host.macosSlots ? `${host.macosSlots.used} of ${host.macosSlots.max} slots used` : 'not supported'],
    ['Rosetta', rosettaWords[host.rosetta]],
    ['Nested virt', yesNo(host.nestedVirtualization)],
    ['Save/restore', yesNo(host.saveRestore)],
    ['Helper', `${init.helperVersion} (protocol ${init.protocolVersion})`],
    ['VMTUI_HOME', host.vmtuiHome],
  ];
  return keyValueBlock(rows);
}

export const hostCommand: Command = {
  spec: { name: 'host', positionals: [], options: jsonOption, summary: "Print this host's facts (--json: JSON for scripts)." },
  run: (args, io) =>
    withClient(io, async (client, init) => {
      const host = await client.hostInfo();
      if (flag(args, 'json')) writeJson(io, host);
      else io.stdout.write(hostTable(host, init));
    }),
};
