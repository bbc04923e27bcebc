// `vmtui suspend NAME`: save a running (or paused) VM's memory into its bundle and stop it;
// `vmtui start NAME` resumes it.
import { suspendProgressNotification, vmSuspendRequest } from '../rpc/protocol.js';
import { formatBytes } from '../format/vm.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError, ExitCode } from './exitCodes.js';
import { HelperRequestError } from '../rpc/errors.js';
import { withClient, writeJson } from './io.js';

/** "Saving VM 'dev''s memory: 120 MiB of 2.0 GiB"; no total when QEMU does not know it yet. */
export function saveProgressLine(name: string, bytesDone: number, bytesTotal?: number): string {
  const total = bytesTotal !== undefined && bytesTotal > 0 ? ` of ${formatBytes(bytesTotal)}` : '';
  return `Saving the memory of VM '${name}': ${formatBytes(bytesDone)}${total}`;
}

export const suspendCommand: Command = {
  spec: {
    name: 'suspend',
    positionals: ['NAME'],
    options: jsonOption,
    summary: "Suspend a running or paused VM: save its memory into its bundle and stop it. 'vmtui start NAME' resumes it where it was.",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const name = args.positionals[0] ?? '';
      const json = flag(args, 'json');
      let last = '';
      const progress = client.on(suspendProgressNotification, (p) => {
        if (p.name !== name || json) return;
        const line = saveProgressLine(p.name, p.bytesDone, p.bytesTotal);
        if (line !== last) io.stderr.write(line + '\n');
        last = line;
      });
      try {
        const vm = await client.request(vmSuspendRequest, { name });
        if (json) writeJson(io, vm);
        else io.stdout.write(`VM '${vm.name}' is ${vm.state}.${vm.stateReason ? ` ${vm.stateReason}` : ''}\n`);
      } catch (error) {
        if (error instanceof HelperRequestError && error.data?.kind === 'invalidState') {
          const state = error.data.state;
          if (state === 'suspended') throw new CommandError(`VM '${name}' is suspended already; 'vmtui start ${name}' resumes it.`, ExitCode.wrongState);
          if (/stopped|not running/.test(state)) throw new CommandError(`VM '${name}' is not running, so it has no memory to save; start it with 'vmtui start ${name}'.`, ExitCode.wrongState);
        }
        throw error;
      } finally {
        progress.dispose();
      }
    }),
};
