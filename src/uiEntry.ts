// The UI's first steps: the helper starts and the terminal is asked about graphics before any of the
// UI loads, so both answers travel while it does (uiStart.ts). bin.ts runs this from the bundle's UI
// script (uiScript.ts) or, unbundled, as a module.
import { spawnEarlyHelper } from './rpc/helperSpawn.js';
import { startGraphicsDetection } from './screen/detect.js';

export async function startUiEarly(): Promise<void> {
  spawnEarlyHelper();
  startGraphicsDetection(process.env, process.stdin, process.stdout);
  await (await import('./uiStart.js')).runUi();
}
