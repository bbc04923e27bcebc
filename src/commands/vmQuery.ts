// `vmtui list` and `vmtui get NAME`.
import type { VMInfo, VMListResult } from '../rpc/protocol.js';
import { describeForward } from './forwards.js';
import { featureRows } from '../format/shares.js';
import { describeBoot, formatBytes, sshAdvice, sshSummary, vmCells, vmStateLabel } from '../format/vm.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { keyValueBlock, withClient, withClientAsking, writeJson } from './io.js';

const emptyList = "No VMs yet; create one with 'vmtui create NAME --kernel PATH' or 'vmtui create NAME --iso PATH'.";

/** A compact table: columns as wide as their widest cell. */
export function vmListTable(vms: VMInfo[]): string {
  if (vms.length === 0) return emptyList + '\n';
  const head = ['NAME', 'STATE', 'CPUS', 'MEMORY', 'DISK', 'ADDRESS'];
  const rows = vms.map((vm) => {
    const c = vmCells(vm);
    return [c.name, c.state, c.cpus, c.memory, c.disk, c.address];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd((widths[i] ?? 0) + 2)).join('').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

export function problemLines(result: VMListResult): string {
  return result.problems.map((p) => `vmtui: VM '${p.name}' cannot be listed: ${p.message}\n`).join('');
}

export function vmDetails(vm: VMInfo): string {
  const rows: [string, string][] = [
    ['Name', vm.name],
    ['State', vmStateLabel(vm)],
  ];
  if (vm.stateReason) rows.push(['Reason', vm.stateReason]);
  if (vm.savedStateNote) rows.push(['Saved state', vm.savedStateNote]);
  rows.push(
    ['OS', `${vm.os} (${vm.arch})`],
    ['CPUs', String(vm.cpuCount)],
    ['Memory', formatBytes(vm.memoryBytes)],
    ['Disk', `${formatBytes(vm.diskAllocatedBytes)} used of ${formatBytes(vm.diskBytes)}`],
    ['Boot', describeBoot(vm.boot)],
    ['MAC', vm.macAddress],
    ['Created', vm.createdAt],
  );
  if (vm.startedAt) rows.push(['Started', vm.startedAt]);
  if (vm.hostPid !== undefined) {
    const extra = [vm.vmPid !== undefined ? `guest process ${vm.vmPid}` : '', vm.accelerator ? `accelerator ${vm.accelerator}` : '']
      .filter((s) => s !== '')
      .join(', ');
    rows.push(['Host pid', `${vm.hostPid}${extra ? ` (${extra})` : ''}`]);
  }
  const ssh = sshSummary(vm);
  if (ssh) rows.push(['SSH', ssh]);
  else if (vm.sshAddress) rows.push(['SSH', `${sshAdvice(vm.sshAddress)}  (${vm.sshAddress} forwards to the guest's port 22)`]);
  if (vm.forwards?.length) rows.push(['Forwards', vm.forwards.map(describeForward).join(', ')]);
  rows.push(...featureRows(vm));
  return keyValueBlock(rows);
}

export const listCommand: Command = {
  spec: { name: 'list', positionals: [], options: jsonOption, summary: 'List the VMs: state, CPUs, memory, disk used/size, SSH address.' },
  run: (args, io) =>
    withClientAsking(
      io,
      (client) => client.listVms(),
      (result) => {
        if (flag(args, 'json')) writeJson(io, result);
        else {
          io.stdout.write(vmListTable(result.vms));
          io.stderr.write(problemLines(result));
        }
      },
    ),
};

export const getCommand: Command = {
  spec: { name: 'get', positionals: ['NAME'], options: jsonOption, summary: 'Show one VM in detail.' },
  run: (args, io) =>
    withClientAsking(
      io,
      (client) => client.getVm(args.positionals[0] ?? ''),
      (vm) => {
        if (flag(args, 'json')) writeJson(io, vm);
        else io.stdout.write(vmDetails(vm));
      },
    ),
};
