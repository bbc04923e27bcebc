// A stand-in for a TUI that starts a VM and then sits there, for tests that kill it with -9.
// Usage: node vm-hold.js NAME  (VMTUI_HOME from the environment). Prints one JSON line.
import { HelperClient } from '../../src/rpc/client.js';

const name = process.argv[2] ?? '';
const client = await HelperClient.start();
await client.initialize();
const vm = await client.startVm(name);
process.stdout.write(`${JSON.stringify({ pid: process.pid, helperPid: client.pid, hostPid: vm.hostPid, vmPid: vm.vmPid })}\n`);
setInterval(() => undefined, 60_000);
