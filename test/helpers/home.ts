// Temp folders for tests: a VMTUI_HOME of their own, a folder for one file's tests, or one for a
// single test, each removed afterwards, so tests never touch ~/.vmtui or each other.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

export interface TempHome {
  home: string;
  /** process.env with VMTUI_HOME pointing at the temp folder. */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

/** A fresh VMTUI_HOME for one test. */
export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), 'vmtui-test-'));
  return {
    home,
    env: { ...process.env, VMTUI_HOME: home },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}

/**
 * A temp folder for the tests of this file, removed once they are done. `name` tells the folders
 * apart; `files` (relative path → content; a path ending in / is a folder) are made in it.
 */
export function tempFolder(name: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `vmtui-${name}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(files)) {
    const at = join(dir, path);
    if (path.endsWith('/')) mkdirSync(at, { recursive: true });
    else {
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, content);
    }
  }
  return dir;
}

/** Runs `body` with a fresh temp folder, removed afterwards whatever happens. */
export async function withTempFolder<T>(name: string, body: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `vmtui-${name}-`));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
