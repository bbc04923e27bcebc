// `--forward [ADDR:]HOSTPORT:GUESTPORT[/tcp|udp]` and `--remove-forward HOSTPORT[/tcp|udp]`,
// parsed into the protocol's Forward objects (PROTOCOL.md "Guest access").
import type { Forward, ForwardProto, ForwardRemoval, VMConfigureParams, VMCreateParams } from '../rpc/protocol.js';
import { UsageError } from '../format/usageError.js';
import { listOption, stringOption, type ParsedArgs } from './args.js';

const FORWARD_SHAPE = '[ADDR:]HOSTPORT:GUESTPORT[/tcp|udp], as in 8080:80 or 0.0.0.0:5353:53/udp';

function port(text: string, what: string, whole: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new UsageError(`The ${what} '${text}' in '${whole}' is not a port between 1 and 65535.`);
  }
  return Number(text);
}

function splitProto(text: string, option: string): [string, ForwardProto | undefined] {
  const slash = text.lastIndexOf('/');
  if (slash === -1) return [text, undefined];
  const proto = text.slice(slash + 1).toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') {
    throw new UsageError(`${option} '${text}' names the protocol '${proto}'; use tcp or udp.`);
  }
  return [text.slice(0, slash), proto];
}

export function parseForward(text: string): Forward {
  const [body, proto] = splitProto(text.trim(), '--forward');
  const parts = body.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new UsageError(`--forward '${text}' is not of the form ${FORWARD_SHAPE}.`);
  }
  const [guest = '', host = '', address = '127.0.0.1'] = [...parts].reverse();
  if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(address) || address.split('.').some((o) => Number(o) > 255)) {
    throw new UsageError(`The address '${address}' in --forward '${text}' is not an IPv4 address; give one such as 127.0.0.1 or 0.0.0.0.`);
  }
  return { proto: proto ?? 'tcp', hostAddress: address, hostPort: port(host, 'host port', text), guestPort: port(guest, 'guest port', text) };
}

export function parseRemoval(text: string): ForwardRemoval {
  const [body, proto] = splitProto(text.trim(), '--remove-forward');
  const hostPort = port(body, 'host port', text);
  return proto ? { hostPort, proto } : { hostPort };
}

/** "127.0.0.1:8080 → 80/tcp" */
export function describeForward(f: Forward): string {
  return `${f.hostAddress}:${f.hostPort} → ${f.guestPort}/${f.proto}`;
}

const forwardOption = {
  forward: {
    value: '[ADDR:]HOSTPORT:GUESTPORT[/udp]',
    description: 'forward a host port (on 127.0.0.1 unless ADDR is given) to a guest port; repeatable',
    repeatable: true,
  },
};

export const createAccessOptions = forwardOption;

export const configureAccessOptions = {
  ...forwardOption,
  'remove-forward': { value: 'HOSTPORT[/udp]', description: 'remove the forward on this host port; repeatable', repeatable: true },
  'ssh-port': { value: 'N', description: "the host port forwarded to the guest's SSH (kept across restarts)" },
};

/** vm/create's `forwards` from --forward. */
export function createAccess(args: ParsedArgs): Pick<VMCreateParams, 'forwards'> {
  const forwards = listOption(args, 'forward').map(parseForward);
  return forwards.length > 0 ? { forwards } : {};
}

/** vm/configure's access fields from --forward, --remove-forward and --ssh-port. */
export function configureAccess(args: ParsedArgs): Pick<VMConfigureParams, 'sshPort' | 'addForwards' | 'removeForwards'> {
  const out: Pick<VMConfigureParams, 'sshPort' | 'addForwards' | 'removeForwards'> = {};
  const add = listOption(args, 'forward').map(parseForward);
  const remove = listOption(args, 'remove-forward').map(parseRemoval);
  const sshPort = stringOption(args, 'ssh-port');
  if (add.length > 0) out.addForwards = add;
  if (remove.length > 0) out.removeForwards = remove;
  if (sshPort !== undefined) {
    if (!/^\d{1,5}$/.test(sshPort) || Number(sshPort) < 1 || Number(sshPort) > 65535) {
      throw new UsageError(`--ssh-port '${sshPort}' is not a port between 1 and 65535.`);
    }
    out.sshPort = Number(sshPort);
  }
  return out;
}
