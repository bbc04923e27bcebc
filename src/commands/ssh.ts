// `vmtui ssh NAME [-- COMMAND…]`, `vmtui ssh-config NAME`, and the wait for a guest's SSH that
// `vmtui start --wait ssh` shares. The facts come from the helper (vm/sshInfo); ssh itself runs
// here, with the terminal, once the helper has said the guest's SSH server answers.
import { spawn } from 'node:child_process';
import type { HelperApi } from '../rpc/api.js';
import { vmSshInfoRequest, type VMInfo, type VMSSHDetails } from '../rpc/protocol.js';
import { stringOption } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError, ExitCode } from './exitCodes.js';
import { withClient, writeJson } from './io.js';
import { parseSeconds } from '../format/sizes.js';
import { sshArgv, sshConfigText } from '../format/ssh.js';

export const DEFAULT_SSH_WAIT_MS = 120_000;

function over(vm: VMInfo): boolean {
  return vm.state === 'stopped' || vm.state === 'error';
}

/**
 * Resolves once the helper reports the guest's SSH banner (vm/stateChanged sshReady, checked
 * against vm/get every second as well); a sentence naming the VM, port and what to check on timeout.
 */
export async function waitForSsh(client: HelperApi, name: string, timeoutMs: number): Promise<VMInfo> {
  let wake: (() => void) | undefined;
  const listening = client.onStateChanged((event) => {
    if (event.name === name) wake?.();
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const vm = await client.getVm(name);
      if (vm.ssh?.ready) return vm;
      if (over(vm)) {
        throw new CommandError(`VM '${name}' is ${vm.state}${vm.stateReason ? ` (${vm.stateReason})` : ''}, so its SSH will not answer; start it with 'vmtui start ${name} --wait ssh'.`, ExitCode.wrongState);
      }
      if (!vm.ssh) {
        throw new CommandError(`VM '${name}' has no SSH address to wait for; on a Mac it appears once the guest has a network address ('vmtui ip ${name} --wait').`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const where = `${vm.ssh.host}:${vm.ssh.port}`;
        throw new CommandError(`VM '${name}' is ${vm.state}, but no SSH server answered on ${where} within ${Math.round(timeoutMs / 1000)} s; it keeps running. Check that the guest has booted and runs an SSH server ('vmtui console ${name}'), or wait longer with --timeout SECONDS.`);
      }
      await new Promise<void>((done) => {
        const timer = setTimeout(done, Math.min(1000, left));
        wake = () => { clearTimeout(timer); done(); };
      });
      wake = undefined;
    }
  } finally {
    listening.dispose();
  }
}

/** vm/sshInfo once the guest's SSH answers (waiting up to `timeoutMs`). */
export async function readySshTarget(client: HelperApi, name: string, timeoutMs: number, note?: (text: string) => void): Promise<VMSSHDetails> {
  let details = await client.request(vmSshInfoRequest, { name });
  if (!details.ready) {
    note?.(`Waiting up to ${Math.round(timeoutMs / 1000)} s for VM '${name}' to answer on ${details.host}:${details.port}…\n`);
    await waitForSsh(client, name, timeoutMs);
    details = await client.request(vmSshInfoRequest, { name });
  }
  return details;
}

/** Runs the system ssh with the terminal; resolves to its exit status (255 when ssh itself fails). */
export function runSsh(argv: string[], program = 'ssh'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, argv, { stdio: 'inherit' });
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT'
        ? new CommandError(`The '${program}' program was not found on PATH; install an OpenSSH client (Debian: openssh-client) and try again.`)
        : error);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 255)));
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal];
}

const timeoutOption = {
  timeout: { value: 'SECONDS', description: `how long to wait for the guest's SSH server to answer (default ${DEFAULT_SSH_WAIT_MS / 1000})` },
};

export const sshCommand: Command = {
  spec: {
    name: 'ssh',
    positionals: ['NAME'],
    rest: 'COMMAND…',
    options: timeoutOption,
    summary: "Log into a VM with the system ssh (its port, user, key and its own known_hosts), once its SSH server answers. With '-- COMMAND…' runs that instead and exits with its status.",
  },
  run: async (args, io) => {
    const name = args.positionals[0] ?? '';
    const timeout = stringOption(args, 'timeout');
    const timeoutMs = timeout === undefined ? DEFAULT_SSH_WAIT_MS : parseSeconds(timeout, '--timeout');
    // The helper is shut down before ssh starts: a long session needs only ssh.
    const target = await withClient(io, (client) => readySshTarget(client, name, timeoutMs, (text) => io.stderr.write(text)));
    const status = await runSsh(sshArgv(target, args.rest ?? []));
    if (status !== 0) throw new CommandError('', status);
  },
};

export const sshConfigCommand: Command = {
  spec: {
    name: 'ssh-config',
    positionals: ['NAME'],
    options: jsonOption,
    summary: "Print a Host block for ~/.ssh/config that reaches the VM (its SSH port is kept across restarts).",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const details = await client.request(vmSshInfoRequest, { name: args.positionals[0] ?? '' });
      if (args.options.json === true) writeJson(io, details);
      else io.stdout.write(sshConfigText(details));
    }),
};
