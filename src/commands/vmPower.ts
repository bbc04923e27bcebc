// `vmtui start|stop|pause|resume`: running VMs.
import type { HelperApi } from '../rpc/api.js';
import { HelperRequestError } from '../rpc/errors.js';
import { DEFAULT_STOP_TIMEOUT_MS, type StateChangedParams, type VMInfo, type VMState } from '../rpc/protocol.js';
import { sshAdvice } from '../format/vm.js';
import { UsageError } from '../format/usageError.js';
import { flag, stringOption } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError, ExitCode } from './exitCodes.js';
import { withClient, writeJson, type CommandIO } from './io.js';
import { parseSeconds } from '../format/sizes.js';
import { waitForSsh } from './ssh.js';

const DEFAULT_IP_WAIT_MS = 120_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function isOver(state: VMState): boolean {
  return state === 'stopped' || state === 'error';
}

/**
 * The helper says "Cannot do that to VM 'x' while it is stopped." for any running-only method;
 * say instead what was asked and what to do.
 */
export async function whileRunning<T>(name: string, stopped: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HelperRequestError && error.data?.kind === 'invalidState' && /^stopped$|not running/.test(error.data.state)) {
      throw new CommandError(stopped.replaceAll('{name}', name), ExitCode.wrongState);
    }
    throw error;
  }
}

const notRunning = "VM '{name}' is not running; start it with 'vmtui start {name}'.";

export type StartWait = 'running' | 'ip' | 'ssh';

export function parseWait(value: string | undefined): StartWait {
  if (value === undefined || value === 'running') return 'running';
  if (value === 'ip' || value === 'ssh') return value;
  throw new UsageError(`--wait takes 'running', 'ip' or 'ssh', not '${value}'.`);
}

function runningSentence(vm: VMInfo): string {
  const note = vm.savedStateNote ? `${vm.savedStateNote}\n` : '';
  const how = [vm.vmPid !== undefined ? `guest process ${vm.vmPid}` : '', vm.accelerator ? `accelerator ${vm.accelerator}` : '']
    .filter((s) => s !== '')
    .join(', ');
  const lines = [`VM '${vm.name}' is ${vm.state}${how ? ` (${how})` : ''}.`];
  if (vm.ssh) {
    const where = `${vm.ssh.host}:${vm.ssh.port}`;
    lines.push(vm.ssh.ready
      ? `Its SSH server answers on ${where}: connect with 'vmtui ssh ${vm.name}'.`
      : `Its SSH will be on ${where}; 'vmtui ssh ${vm.name}' waits until it answers.`);
  } else if (vm.sshAddress) {
    lines.push(`Connect with: ${sshAdvice(vm.sshAddress)}  (${vm.sshAddress} forwards to the guest's SSH port)`);
  }
  lines.push(`Watch its console with 'vmtui console ${vm.name}'.`);
  return note + lines.join('\n') + '\n';
}

/** Polls until the helper knows the VM's SSH address (QEMU: the forwarded host port). */
async function waitForAddress(client: HelperApi, started: VMInfo, timeoutMs: number): Promise<VMInfo> {
  const deadline = Date.now() + timeoutMs;
  let vm = started;
  while (!vm.sshAddress) {
    if (isOver(vm.state)) {
      throw new CommandError(`VM '${vm.name}' ${vm.state === 'error' ? `failed: ${vm.stateReason ?? 'see its log'}` : 'stopped'} before it had an address.`);
    }
    if (Date.now() > deadline) {
      throw new CommandError(`VM '${vm.name}' is running, but no SSH address appeared within ${Math.round(timeoutMs / 1000)} s; it keeps running.`);
    }
    await sleep(1000);
    vm = await client.getVm(vm.name);
  }
  return vm;
}

export const startCommand: Command = {
  spec: {
    name: 'start',
    positionals: ['NAME'],
    options: {
      wait: {
        value: 'running|ip|ssh',
        description: "running (default): return once the guest runs; ip: also until an address to reach it is known (QEMU: at once, its SSH port forward; a Mac: the guest's DHCP lease), not that anything answers there; ssh: until the guest's SSH server answers with its banner",
      },
      timeout: { value: 'SECONDS', description: `with --wait ip or ssh: give up after this long (default ${DEFAULT_IP_WAIT_MS / 1000})` },
      ...jsonOption,
    },
    summary: 'Start a VM (a suspended one resumes where it was). It runs in its own background process and keeps running after vmtui exits.',
  },
  run: async (args, io) => {
    const wait = parseWait(stringOption(args, 'wait'));
    const timeout = stringOption(args, 'timeout');
    const timeoutMs = timeout === undefined ? DEFAULT_IP_WAIT_MS : parseSeconds(timeout, '--timeout');
    await withClient(io, async (client) => {
      let vm = await client.startVm(args.positionals[0] ?? '');
      if (wait === 'ip') vm = await waitForAddress(client, vm, timeoutMs);
      if (wait === 'ssh') vm = await waitForSsh(client, vm.name, timeoutMs);
      if (flag(args, 'json')) writeJson(io, vm);
      else io.stdout.write(runningSentence(vm));
    });
  },
};

/** One sentence per stop-ladder event; undefined for events not worth a line. */
export function stopEventSentence(event: StateChangedParams, timeoutMs: number, force: boolean): string | undefined {
  const vm = `VM '${event.name}'`;
  if (event.step === 'powerButton') {
    return `Pressed the power button of ${vm}; waiting up to ${Math.round(timeoutMs / 1000)} s for the guest to power off.`;
  }
  if (event.step === 'forceQuit') {
    return force ? `Quitting ${vm} at once (--force).` : `The guest did not power off in time; quitting ${vm}.`;
  }
  if (event.state === 'stopped') return `${vm} is stopped.`;
  if (event.state === 'error') return `${vm} stopped with an error: ${event.reason ?? 'see its log'}`;
  if (event.step) return `${vm}: ${event.step}.`;
  return `${vm} is ${event.state}.`;
}

/** Prints each distinct ladder step once, in order. */
class StopReporter {
  private readonly seen = new Set<string>();
  constructor(private readonly out: NodeJS.WritableStream, private readonly timeoutMs: number, private readonly force: boolean) {}

  report(event: StateChangedParams): void {
    const key = `${event.state}/${event.step ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const sentence = stopEventSentence(event, this.timeoutMs, this.force);
    if (sentence) this.out.write(sentence + '\n');
  }

  reportFinal(vm: VMInfo): void {
    this.report({ name: vm.name, state: vm.state, ...(vm.stateReason ? { reason: vm.stateReason } : {}), time: '' });
  }
}

/** vm/stop answers once the guest has ended; its host may need a moment more to report stopped. */
async function settle(client: HelperApi, name: string, last: VMInfo, finalEvent: () => boolean): Promise<VMInfo> {
  let vm = last;
  const deadline = Date.now() + 15_000;
  while (!isOver(vm.state) && Date.now() < deadline) {
    await sleep(finalEvent() ? 0 : 300);
    vm = await client.getVm(name);
  }
  return vm;
}

export async function stopVm(client: HelperApi, io: CommandIO, name: string, force: boolean, timeoutMs: number, json: boolean): Promise<VMInfo> {
  const reporter = new StopReporter(json ? io.stderr : io.stdout, timeoutMs, force);
  let ended = false;
  const listening = client.onStateChanged((event) => {
    if (event.name !== name) return;
    if (isOver(event.state)) ended = true;
    reporter.report(event);
  });
  try {
    const answered = await whileRunning(name, "VM '{name}' is not running; there is nothing to stop.", () =>
      client.stopVm({ name, force, timeoutMs }),
    );
    const vm = await settle(client, name, answered, () => ended);
    reporter.reportFinal(vm);
    return vm;
  } finally {
    listening.dispose();
  }
}

export const stopCommand: Command = {
  spec: {
    name: 'stop',
    positionals: ['NAME'],
    options: {
      force: { description: 'skip the power button and quit the VM at once (like pulling the plug)' },
      timeout: { value: 'SECONDS', description: `how long the guest gets to power off before it is forced (default ${DEFAULT_STOP_TIMEOUT_MS / 1000})` },
      ...jsonOption,
    },
    summary: 'Stop a VM: press its power button, wait, then quit it. Prints each step as it happens.',
  },
  run: async (args, io) => {
    const timeout = stringOption(args, 'timeout');
    const timeoutMs = timeout === undefined ? DEFAULT_STOP_TIMEOUT_MS : parseSeconds(timeout, '--timeout');
    const json = flag(args, 'json');
    await withClient(io, async (client) => {
      const vm = await stopVm(client, io, args.positionals[0] ?? '', flag(args, 'force'), timeoutMs, json);
      if (json) writeJson(io, vm);
      // The error itself was already printed as the last step.
      if (vm.state === 'error') throw new CommandError('');
    });
  },
};

function simpleCommand(name: 'pause' | 'resume', summary: string, call: (c: HelperApi, vm: string) => Promise<VMInfo>): Command {
  return {
    spec: { name, positionals: ['NAME'], options: jsonOption, summary },
    run: (args, io) =>
      withClient(io, async (client) => {
        const name = args.positionals[0] ?? '';
        const vm = await whileRunning(name, notRunning, () => call(client, name));
        if (flag(args, 'json')) writeJson(io, vm);
        else io.stdout.write(`VM '${vm.name}' is ${vm.state}.\n`);
      }),
  };
}

export const pauseCommand = simpleCommand('pause', 'Pause a running VM (it keeps its memory; resume continues it).', (c, n) => c.pauseVm(n));
export const resumeCommand = simpleCommand('resume', 'Resume a paused VM.', (c, n) => c.resumeVm(n));
