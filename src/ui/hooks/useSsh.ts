// The TUI's SSH key: asks the helper where the guest's SSH is (vm/sshInfo), hands the terminal
// to ssh (Ink suspended) and says how the session ended. The process itself is started by
// `openShell`, which the entry point provides; no component spawns one.
import { useApp } from 'ink';
import { useCallback, useRef } from 'react';
import { sshArgv } from '../../format/ssh.js';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';
import { vmSshInfoRequest, type VMInfo } from '../../rpc/protocol.js';
import type { StatusMessage } from './useVms.js';

/** Runs ssh with these arguments on the terminal; resolves to its exit status. */
export type OpenShell = (argv: string[]) => Promise<number>;

export function useSsh(client: HelperApi | undefined, openShell: OpenShell | undefined, say: (m: StatusMessage | undefined) => void) {
  const { suspendTerminal } = useApp();
  const busy = useRef(false);
  return useCallback(
    async (vm: VMInfo) => {
      if (busy.current) return;
      if (!client || !openShell) {
        say({ tone: 'error', text: "SSH sessions cannot be opened from here; run 'vmtui ssh " + vm.name + "' in a shell." });
        return;
      }
      if (vm.state !== 'running' && vm.state !== 'restarting') {
        say({ tone: 'error', text: `VM '${vm.name}' is ${vm.state}, so there is nothing to log into; start it with s first.` });
        return;
      }
      busy.current = true;
      try {
        const target = await client.request(vmSshInfoRequest, { name: vm.name });
        if (!target.ready) {
          say({ tone: 'info', text: `VM '${vm.name}' runs, but its SSH server does not answer on ${target.host}:${target.port} yet; its state shows "ssh" once it does.` });
          return;
        }
        say(undefined);
        let status = 0;
        await suspendTerminal(async () => {
          status = await openShell(sshArgv(target));
        });
        say({ tone: status === 0 ? 'info' : 'error', text: `The SSH session to VM '${vm.name}' ended${status === 0 ? '' : ` with status ${status}`}.` });
      } catch (error) {
        say({ tone: 'error', text: errorSentence(error) });
      } finally {
        busy.current = false;
      }
    },
    [client, openShell, say, suspendTerminal],
  );
}
