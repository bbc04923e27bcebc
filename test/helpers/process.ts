import { fileURLToPath } from 'node:url';

/** True while a process with this pid exists (signal 0 only checks). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// dist/test/helpers → the repository root.
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
/** The bundle users run (`vmtui`, the run command): in a terminal it runs the UI script. */
export const bundlePath = fileURLToPath(new URL('../../vmtui/bin.js', import.meta.url));
