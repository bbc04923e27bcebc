import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempHome {
  home: string;
  /** process.env with VMTUI_HOME pointing at the temp folder. */
  env: NodeJS.ProcessEnv;
  remove(): Promise<void>;
}

/** A fresh VMTUI_HOME for one test, so tests never touch ~/.vmtui or each other. */
export async function tempHome(): Promise<TempHome> {
  const home = await mkdtemp(join(tmpdir(), 'vmtui-test-'));
  return {
    home,
    env: { ...process.env, VMTUI_HOME: home },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}
