// `vmtui rosetta install`: Apple's Rosetta installer for Linux guests, run by the helper on a Mac
// (rosetta/install); elsewhere the helper says why it is not available.
import { rosettaInstallRequest } from '../rpc/protocol.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { withClient, writeJson } from './io.js';

export const rosettaInstallCommand: Command = {
  spec: {
    name: 'rosetta install',
    positionals: [],
    options: jsonOption,
    summary: 'Install Rosetta for Linux guests (Apple silicon Macs); it may ask to accept its licence. If this cannot run, use: softwareupdate --install-rosetta --agree-to-license',
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const result = await client.request(rosettaInstallRequest, {});
      if (flag(args, 'json')) writeJson(io, result);
      else io.stdout.write(`${result.message}\n`);
    }),
};
