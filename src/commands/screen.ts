// `vmtui screenshot NAME [FILE.png]` and `vmtui vnc NAME`: the guest's screen outside the TUI.
import { constants, lstatSync, openSync, writeSync, closeSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { vmScreenshotRequest, vmVncRequest, type VNCInfoResult } from '../rpc/protocol.js';
import { UsageError } from '../format/usageError.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError } from './exitCodes.js';
import { withClient, writeJson, type CommandIO } from './io.js';

/** Opens FILE for writing without following a symlink, refusing folders and symlinks with a sentence. */
export function openPngTarget(path: string): number {
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) throw new CommandError(`${path} is a symbolic link; vmtui does not write through links. Name a plain file instead.`);
    if (st.isDirectory()) throw new CommandError(`${path} is a folder; name a file such as ${path.replace(/\/+$/, '')}/screen.png.`);
    if (!st.isFile()) throw new CommandError(`${path} is not a regular file; name a plain file to write the PNG to.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw new CommandError(`Could not write ${path}: ${(error as Error).message}.`);
  }
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

export const screenshotCommand: Command = {
  spec: {
    name: 'screenshot',
    positionals: ['NAME', 'FILE.png?'],
    options: {},
    summary: "Save a running VM's screen as PNG to FILE.png, or to stdout when it is not a terminal.",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [name = '', file] = args.positionals;
      if ((file === undefined || file === '-') && (io.stdout as { isTTY?: boolean }).isTTY) {
        throw new UsageError(`Name a file for the PNG ('vmtui screenshot ${name} screen.png') or redirect stdout to one.`);
      }
      const shot = await client.request(vmScreenshotRequest, { name, format: 'png' });
      const png = Buffer.from(shot.pngBase64, 'base64');
      if (file === undefined || file === '-') {
        io.stdout.write(png);
        return;
      }
      const path = resolve(io.cwd, file);
      const fd = openPngTarget(path);
      try {
        writeAll(fd, png);
      } finally {
        closeSync(fd);
      }
      io.stderr.write(`Saved VM '${name}''s ${shot.width}×${shot.height} screen to ${path}.\n`);
    }),
};

/** What `vmtui vnc` prints: where the screen is, and how a laptop reaches it over SSH. */
export function vncLines(name: string, vnc: VNCInfoResult, sshTarget: string): string {
  const lines: string[] = [];
  if (vnc.socketPath) {
    lines.push(`VM '${name}' serves its screen over VNC on the unix socket ${vnc.socketPath}.`);
    lines.push("No password: the socket is in the VM's folder, so only users who can open that folder can connect.");
    lines.push(`From a laptop:  ssh -N -L 5900:${vnc.socketPath} ${sshTarget}`);
  } else if (vnc.address) {
    const port = vnc.address.split(':').pop() ?? '5900';
    lines.push(`VM '${name}' serves its screen over VNC at ${vnc.address}${vnc.password ? ` with the password ${vnc.password}` : ''}.`);
    lines.push(`From a laptop:  ssh -N -L 5900:127.0.0.1:${port} ${sshTarget}`);
  } else {
    throw new CommandError(`VM '${name}' has no VNC server; give it a display with 'vmtui configure ${name} --display 1280x800' and start it again.`);
  }
  // The password in the URL spares typing it into Screen Sharing; it is this run's only.
  const url = vnc.password ? `vnc://:${encodeURIComponent(vnc.password)}@localhost:5900` : 'vnc://localhost:5900';
  lines.push(`Then open ${url} in macOS Screen Sharing (Finder: Go > Connect to Server), or point any VNC viewer at localhost:5900.`);
  return lines.join('\n') + '\n';
}

export const vncCommand: Command = {
  spec: {
    name: 'vnc',
    positionals: ['NAME'],
    options: { ...jsonOption },
    summary: "Show where a running VM's screen is served over VNC and the ssh -L line that reaches it from a laptop.",
  },
  run: (args, io: CommandIO) =>
    withClient(io, async (client) => {
      const name = args.positionals[0] ?? '';
      const vnc = await client.request(vmVncRequest, { name });
      if (flag(args, 'json')) writeJson(io, vnc);
      else io.stdout.write(vncLines(name, vnc, `${userInfo().username}@${hostname()}`));
    }),
};
