// Fixtures for the UI's tests (test/fixtures/ui and the protocol's), decoded with the real decoders
// so they cannot drift from the protocol's types.
import { readFileSync } from 'node:fs';
import { decodeHostInfo, decodeInitializeResult, decodeVMListResult, type VMInfo } from '../../src/rpc/protocol.js';
import { decodeHostStatsParams, decodeVMStatsParams, type HostStatsParams, type VMStats, type VMStatsParams } from '../../src/rpc/protocol.js';

const read = (folder: string, file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/${folder}/${file}`, import.meta.url), 'utf8'));

export const vmStatsFixture: VMStatsParams = decodeVMStatsParams(read('ui', 'vm-stats.notification.json').params, 'params');
export const hostStatsFixture: HostStatsParams = decodeHostStatsParams(read('ui', 'host-stats.notification.json').params, 'params');
export const macHostStatsFixture: HostStatsParams = decodeHostStatsParams(read('ui', 'host-stats-mac.notification.json').params, 'params');
/** dev (running), installer (stopped). */
export const vmList = decodeVMListResult(read('protocol', 'vm-list.result.json').result, 'result');
/** initialize on Linux with QEMU. */
export const linuxInit = decodeInitializeResult(read('protocol', 'initialize.result.json').result, 'result');
/** host/info on Linux: 2 cores, 24 GiB memory, 80 GiB free. */
export const linuxHost = decodeHostInfo(read('protocol', 'host-info-linux.result.json').result, 'result');

export function sampleOf(name: string): VMStats {
  const found = vmStatsFixture.vms.find((s) => s.name === name);
  if (!found) throw new Error(`no sample for ${name} in vm-stats.notification.json`);
  return { ...found };
}

/** dev (running), installer (stopped) from vm-list, and zeta (paused), as the dashboard tests use. */
export function threeVms(): VMInfo[] {
  const [dev, installer] = vmList.vms as [VMInfo, VMInfo];
  return [dev, installer, { ...dev, name: 'zeta', state: 'paused', sshAddress: '127.0.0.1:40023', hostPid: 5252, vmPid: 5261 }];
}

/** A vm/stats notification whose samples are the fixture's with `patch` applied per VM. */
export function vmStatsWith(patch: Record<string, Partial<VMStats>>, time = vmStatsFixture.time): VMStatsParams {
  return { time, vms: vmStatsFixture.vms.map((s) => ({ ...s, ...(patch[s.name] ?? {}) })) };
}
