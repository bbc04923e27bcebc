// Starts the real helper the way vmtui does, with its own temp VMTUI_HOME.
import { HelperClient } from '../../src/rpc/client.js';
import { tempHome, type TempHome } from './home.js';

export interface HelperSession {
  client: HelperClient;
  home: TempHome;
  /** Shuts the helper down (if still up) and removes the temp home. */
  close(): Promise<void>;
}

export async function startHelperSession(): Promise<HelperSession> {
  const home = await tempHome();
  try {
    const client = await HelperClient.start({ env: home.env });
    return {
      client,
      home,
      close: async () => {
        await client.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 });
        await home.remove();
      },
    };
  } catch (error) {
    await home.remove();
    throw error;
  }
}
