// Protocol v1, "Guest access" (helper/PROTOCOL.md; Swift: AccessProtocol.swift): vm/sshInfo.
import { request } from '../declare.js';
import { bool, num, object, optional, str, type Decoder } from '../decode.js';
import { decodeVMNameParams, vmState, type VMState } from './vm.js';

/** vm/sshInfo: everything `vmtui ssh` runs ssh with; the client never reads the VM's folder. */
export interface VMSSHDetails {
  name: string;
  state: VMState;
  host: string;
  port: number;
  /** provision.user, else the name of the user running the helper. */
  user: string;
  /** The private key beside the first configured public key file, when it exists. */
  identityFile?: string;
  /** The VM's own known_hosts, in its bundle. */
  knownHostsFile: string;
  ready: boolean;
}

export const decodeVMSSHDetails: Decoder<VMSSHDetails> = object<VMSSHDetails>({
  name: str,
  state: vmState,
  host: str,
  port: num,
  user: str,
  identityFile: optional(str),
  knownHostsFile: str,
  ready: bool,
});

export const vmSshInfoRequest = request('vm/sshInfo', decodeVMNameParams, decodeVMSSHDetails);
