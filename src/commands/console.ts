// `vmtui console NAME`: the guest's serial console in this terminal. From a terminal, keys go to
// the guest raw and Ctrl-] detaches; from a pipe, each input line is typed and EOF detaches.
import { StringDecoder } from 'node:string_decoder';
import type { HelperApi } from '../rpc/api.js';
import type { StateChangedParams } from '../rpc/protocol.js';
import type { Command } from './command.js';
import { CommandError } from './exitCodes.js';
import { withClient, type CommandIO } from './io.js';
import { whileRunning } from './vmPower.js';

/** Ctrl-] (GS), the detach key of telnet and virsh console. */
export const DETACH_BYTE = 0x1d;

/** After piped input ends: wait for the guest to go quiet this long (at most LINGER_MAX_MS). */
const QUIET_MS = 1500;
const LINGER_MAX_MS = 10_000;

/** Splits a raw keyboard chunk at Ctrl-]: what goes to the guest, and whether to detach. */
export function splitAtDetach(chunk: Buffer): { forward: Buffer; detach: boolean } {
  const at = chunk.indexOf(DETACH_BYTE);
  return at === -1 ? { forward: chunk, detach: false } : { forward: chunk.subarray(0, at), detach: true };
}

type Ending = { kind: 'detached' } | { kind: 'eof' } | { kind: 'vmEnded'; event: StateChangedParams } | { kind: 'failed'; error: unknown };

export async function runConsole(client: HelperApi, io: CommandIO, name: string): Promise<void> {
  const interactive = io.stdin.isTTY === true && typeof io.stdin.setRawMode === 'function';
  let finish: (ending: Ending) => void = () => undefined;
  const ended = new Promise<Ending>((done) => (finish = done));
  let lastOutputAt = Date.now();

  // Live data may arrive before the attach answer; hold it until the tail is out.
  let held: string[] | undefined = [];
  const output = client.onConsoleData((event) => {
    if (event.name !== name) return;
    lastOutputAt = Date.now();
    if (held) held.push(event.data);
    else io.stdout.write(event.data);
  });
  const states = client.onStateChanged((event) => {
    if (event.name === name && (event.state === 'stopped' || event.state === 'error')) finish({ kind: 'vmEnded', event });
  });
  const exits = client.onExit((_exit, expected, gone) => {
    if (!expected) finish({ kind: 'failed', error: gone });
  });

  // Keystrokes and lines are typed in order, one request at a time.
  let typing: Promise<void> = Promise.resolve();
  const type = (data: string) => {
    if (data === '') return;
    typing = typing.then(() => client.consoleWrite(name, data)).catch((error: unknown) => finish({ kind: 'failed', error }));
  };

  let stopInput: () => void = () => undefined;
  try {
    const { tail } = await whileRunning(name, "VM '{name}' is not running, so its console is closed; start it with 'vmtui start {name}'.", () =>
      client.consoleAttach(name),
    );
    io.stdout.write(tail);
    for (const data of held) io.stdout.write(data);
    held = undefined;

    if (interactive) {
      io.stderr.write(`Connected to the console of VM '${name}'. Press Ctrl-] to detach; the VM keeps running.\r\n`);
      const decoder = new StringDecoder('utf8');
      const onData = (chunk: Buffer | string) => {
        const { forward, detach } = splitAtDetach(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        type(decoder.write(forward));
        if (detach) finish({ kind: 'detached' });
      };
      io.stdin.setRawMode?.(true);
      io.stdin.on('data', onData);
      io.stdin.resume();
      stopInput = () => {
        io.stdin.off('data', onData);
        io.stdin.setRawMode?.(false);
        io.stdin.pause();
      };
    } else {
      // Loaded here, not at the top: every other command starts faster without readline.
      const { createInterface } = await import('node:readline');
      const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false });
      lines.on('line', (line) => type(line + '\n'));
      lines.on('close', () => finish({ kind: 'eof' }));
      stopInput = () => lines.close();
    }

    let ending = await ended;
    stopInput();
    if (ending.kind === 'eof') {
      await typing;
      // Let the guest answer the last line before leaving.
      lastOutputAt = Math.max(lastOutputAt, Date.now());
      const giveUp = Date.now() + LINGER_MAX_MS;
      while (Date.now() - lastOutputAt < QUIET_MS && Date.now() < giveUp) {
        const next = await Promise.race([ended, new Promise<undefined>((done) => setTimeout(done, 100))]);
        if (next && next.kind !== 'eof') {
          ending = next;
          break;
        }
      }
    }

    switch (ending.kind) {
      case 'detached':
        await client.consoleDetach(name).catch(() => undefined);
        io.stderr.write(`\r\nDetached from the console of VM '${name}'; the VM keeps running. Reattach with 'vmtui console ${name}'.\r\n`);
        return;
      case 'eof':
        await client.consoleDetach(name).catch(() => undefined);
        return;
      case 'vmEnded': {
        const { event } = ending;
        if (event.state === 'error') throw new CommandError(`VM '${name}' stopped with an error: ${event.reason ?? 'see its log'}`);
        io.stderr.write(`\r\nVM '${name}' stopped; the console is closed.\r\n`);
        return;
      }
      case 'failed':
        throw ending.error;
    }
  } finally {
    stopInput();
    output.dispose();
    states.dispose();
    exits.dispose();
  }
}

export const consoleCommand: Command = {
  spec: {
    name: 'console',
    positionals: ['NAME'],
    options: {},
    summary: "Attach to a running VM's serial console: recent output first, then live.",
    details: [
      'From a terminal, keys go straight to the guest; Ctrl-] detaches and leaves the VM running.',
      'From a pipe, each input line is typed into the guest; at end of input vmtui waits for the',
      'guest to go quiet, then detaches.',
    ],
  },
  run: (args, io) => withClient(io, (client) => runConsole(client, io, args.positionals[0] ?? '')),
};
