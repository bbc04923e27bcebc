// How a VM reads in a table row or a detail block, shared by the TUI and the CLI. Every state has a
// symbol as well as a colour, so rows read the same with NO_COLOR.
import type { BootConfig, VMInfo, VMState } from '../rpc/protocol.js';

export type StateTone = 'good' | 'busy' | 'idle' | 'bad' | 'held';

const stateLook: Record<VMState, { symbol: string; tone: StateTone }> = {
  running: { symbol: '●', tone: 'good' },
  stopped: { symbol: '○', tone: 'idle' },
  paused: { symbol: '‖', tone: 'held' },
  suspended: { symbol: '◇', tone: 'held' },
  error: { symbol: '✗', tone: 'bad' },
  starting: { symbol: '◌', tone: 'busy' },
  pausing: { symbol: '◌', tone: 'busy' },
  resuming: { symbol: '◌', tone: 'busy' },
  stopping: { symbol: '◌', tone: 'busy' },
  saving: { symbol: '◌', tone: 'busy' },
  restoring: { symbol: '◌', tone: 'busy' },
  installing: { symbol: '◌', tone: 'busy' },
  restarting: { symbol: '↻', tone: 'busy' },
  notAnswering: { symbol: '✗', tone: 'bad' },
};

export function stateSymbol(state: VMState): string {
  return stateLook[state].symbol;
}

export function stateTone(state: VMState): StateTone {
  return stateLook[state].tone;
}

/** "● running", or the pending operation ("◌ stopping…") while a request is in flight. */
export function stateLabel(state: VMState, pending?: string): string {
  return pending ? `◌ ${pending}…` : `${stateSymbol(state)} ${state}`;
}

/** The state with " ssh" once the guest's SSH server answers: "● running ssh" (fits the 15-wide
 * column); a host that does not answer reads "✗ not answering (pid N)". */
export function vmStateLabel(vm: Pick<VMInfo, 'state' | 'ssh' | 'hostPid'>, pending?: string): string {
  if (!pending && vm.state === 'notAnswering') return `${stateSymbol(vm.state)} not answering${vm.hostPid ? ` (pid ${vm.hostPid})` : ''}`;
  const label = stateLabel(vm.state, pending);
  return !pending && vm.state === 'running' && vm.ssh?.ready ? `${label} ssh` : label;
}

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function scaled(bytes: number): [number, number] {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return [value, unit];
}

/** "512 MiB", "2.0 GiB", "16 GiB": whole numbers stay whole. */
export function formatBytes(bytes: number): string {
  const [value, unit] = scaled(bytes);
  const text = unit === 0 || Number.isInteger(value) || value >= 100 ? value.toFixed(0) : value.toFixed(1);
  return `${text} ${units[unit]}`;
}

/** "1.3M", "16G", "0": for narrow columns. */
export function formatCompact(bytes: number): string {
  if (bytes <= 0) return '0';
  const [value, unit] = scaled(bytes);
  const text = unit === 0 || Number.isInteger(value) || value >= 10 ? value.toFixed(0) : value.toFixed(1);
  return `${text}${(units[unit] ?? '').charAt(0)}`;
}

/** The port part of "127.0.0.1:40022". */
export function sshPort(address: string): string | undefined {
  return /:(\d+)$/.exec(address)?.[1];
}

export function sshAdvice(address: string, user = 'user'): string {
  const port = sshPort(address);
  const host = address.replace(/:\d+$/, '');
  return port ? `ssh -p ${port} ${user}@${host}` : `ssh ${user}@${host}`;
}

/** How SSH reaches a VM and whether it answers, for detail views: "vmtui ssh dev · 127.0.0.1:40022, ready". */
export function sshSummary(vm: Pick<VMInfo, 'name' | 'state' | 'ssh'>): string | undefined {
  if (!vm.ssh) return undefined;
  const where = `${vm.ssh.host}:${vm.ssh.port}`;
  let status: string;
  if (vm.ssh.ready) status = 'ready';
  else if (vm.state === 'stopped' || vm.state === 'error' || vm.state === 'suspended') status = 'when it runs';
  else status = 'waiting for the guest\'s SSH server to answer';
  return `vmtui ssh ${vm.name} · ${where}, ${status}`;
}

export function describeBoot(boot: BootConfig): string {
  switch (boot.kind) {
    case 'kernel':
      return `kernel ${boot.kernel}${boot.initrd ? ` + initrd ${boot.initrd}` : ''} (${boot.cmdline})`;
    case 'efi':
      return boot.iso ? `EFI, installing from ${boot.iso}` : 'EFI, from its disk';
    case 'macos':
      return 'macOS';
  }
}

export interface VmCells {
  name: string;
  state: string;
  cpus: string;
  memory: string;
  disk: string;
  address: string;
}

/** One table row, as text. */
export function vmCells(vm: VMInfo, pending?: string): VmCells {
  return {
    name: vm.name,
    state: vmStateLabel(vm, pending),
    cpus: String(vm.cpuCount),
    memory: formatBytes(vm.memoryBytes),
    disk: `${formatCompact(vm.diskAllocatedBytes)}/${formatCompact(vm.diskBytes)}`,
    address: vm.sshAddress ?? '—',
  };
}
