// --display WxH / --no-display / --vnc socket|tcp for create and configure.
import { UsageError } from '../format/usageError.js';
import type { DisplaySize, VNCServerKind } from '../rpc/protocol.js';
import { flag, stringOption, type ParsedArgs } from './args.js';

export const displayOptions = {
  display: { value: 'WxH', description: 'give the guest a screen of this size, as in 1280x800 (default: on for --iso installs)' },
  'no-display': { description: 'no screen (the serial console only)' },
  vnc: {
    value: 'socket|tcp',
    description: "where the VNC server listens: 'socket' (default; QEMU: a unix socket in the bundle) or 'tcp' (127.0.0.1 with a password made at each start; on a Mac, Virtualization.framework's private VNC server: experimental)",
  },
};

/** "1280x800" (or 1280×800) → a size; anything else is a usage error naming the option. */
export function parseDisplaySize(text: string): DisplaySize {
  const m = /^(\d{3,4})[x×](\d{3,4})$/i.exec(text.trim());
  if (!m) throw new UsageError(`--display takes WIDTHxHEIGHT in pixels, as in 1280x800; '${text}' is not that.`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** The display fields of vm/create or vm/configure; empty when neither option was given. */
export function displayParams(args: ParsedArgs): { display?: DisplaySize; noDisplay?: boolean; vnc?: VNCServerKind } {
  const size = stringOption(args, 'display');
  const off = flag(args, 'no-display');
  const vnc = stringOption(args, 'vnc');
  if (size !== undefined && off) throw new UsageError('Give either --display WxH or --no-display, not both.');
  if (vnc !== undefined && vnc !== 'socket' && vnc !== 'tcp') throw new UsageError(`--vnc takes 'socket' or 'tcp'; '${vnc}' is neither.`);
  const server = vnc === undefined ? {} : { vnc: vnc as VNCServerKind };
  if (off) return { noDisplay: true, ...server };
  return size === undefined ? server : { display: parseDisplaySize(size), ...server };
}
