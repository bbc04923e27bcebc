// The UI's helper, started as vmtui starts: its first two questions (initialize, host/info) go out
// at once, so their answers come while Ink and React load and the first frame can show host facts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { HelperApi, HelperClientFactory } from './api.js';
import type { HostInfo, InitializeResult } from './protocol.js';

/** A client with both first answers in. */
export interface HelperStart {
  client: HelperApi;
  init: InitializeResult;
  host: HostInfo;
}

export interface EarlyHelper {
  /** The first call gives the client started early (unless `takeReady` took it), later calls new ones. */
  factory: HelperClientFactory;
  /** The early client with its answers if both are in within `waitMs`; then the factory starts afresh. */
  takeReady(waitMs: number): Promise<HelperStart | undefined>;
  /** Settles once both questions are sent, or the client could not start. */
  asked: Promise<void>;
}

/**
 * Starts a client now and asks initialize and host/info together. The client's first call of each
 * gets the answer already asked for (a later call asks again: the wizard reads fresh host facts).
 */
export function startEarlyHelper(start: HelperClientFactory): EarlyHelper {
  const early = start().then((client) => ({ client, ...askFirst(client) }));
  early.catch(() => undefined); // the UI reports a failed start when it asks for this client
  const both = early.then(
    async ({ client, init, host }): Promise<HelperStart> => ({ client, init: await init, host: await host }),
  );
  both.catch(() => undefined);
  let handed = false;
  return {
    asked: early.then(
      () => undefined,
      () => undefined,
    ),
    factory: () => {
      if (handed) return start();
      handed = true;
      return early.then(({ client }) => client);
    },
    async takeReady(waitMs) {
      if (handed) return undefined;
      const deadline = new AbortController();
      const late = sleep(waitMs, undefined, { signal: deadline.signal }).catch(() => undefined);
      const ready = await Promise.race([both.catch(() => undefined), late]);
      deadline.abort();
      if (!ready || handed) return undefined;
      handed = true;
      return ready;
    },
  };
}

/** Asks both now; the client's first initialize() and hostInfo() return these answers. */
function askFirst(client: HelperApi): { init: Promise<InitializeResult>; host: Promise<HostInfo> } {
  const init = client.initialize();
  const host = client.hostInfo();
  init.catch(() => undefined);
  host.catch(() => undefined);
  const ownInit = client.initialize.bind(client);
  const ownHost = client.hostInfo.bind(client);
  let initAsked = false;
  let hostAsked = false;
  client.initialize = () => (initAsked ? ownInit() : ((initAsked = true), init));
  client.hostInfo = () => (hostAsked ? ownHost() : ((hostAsked = true), host));
  return { init, host };
}
