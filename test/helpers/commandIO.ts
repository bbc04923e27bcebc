// A command's IO for unit tests of argument handling: the process's own streams, no terminal on
// stdin, and no helper (a test that reaches for one fails saying so).
import type { CommandIO } from '../../src/commands/io.js';

export function offlineIO(cwd: string): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: { isTTY: false } as CommandIO['stdin'],
    cwd,
    clientFactory: () => Promise.reject(new Error('no helper in unit tests')),
  };
}
