// Shared folders, Rosetta, nested virtualization and the keyboard as words, for `vmtui get`,
// the messages of create/configure and the details screen.
import type { SharedFolder, VMInfo } from '../rpc/protocol.js';

/** "src → /home/me/src (read-only)" */
export function describeShare(share: SharedFolder): string {
  return `${share.tag} → ${share.path}${share.readOnly ? ' (read-only)' : ''}`;
}

/** Label/value rows for what is set; nothing for a VM without shares or features. */
export function featureRows(vm: VMInfo): [string, string][] {
  const rows: [string, string][] = [];
  for (const [i, share] of (vm.shares ?? []).entries()) rows.push([i === 0 ? 'Shares' : '', describeShare(share)]);
  if (vm.shares?.length && vm.sharing) rows.push(['Sharing', vm.sharing.note ?? `through ${vm.sharing.transport}`]);
  if (vm.rosetta) rows.push(['Rosetta', 'on (x86-64 Linux programs run through Rosetta)']);
  if (vm.nestedVirtualization) rows.push(['Nested', 'on (the guest can run VMs of its own)']);
  if (vm.keyboard) rows.push(['Keyboard', vm.keyboard === 'mac' ? 'Mac keyboard' : 'USB keyboard']);
  return rows;
}

/** "; shares src, data (read-only); Rosetta; nested virtualization" for one-line messages. */
export function featureSummary(vm: VMInfo): string {
  const parts: string[] = [];
  if (vm.shares?.length) parts.push(`shares ${vm.shares.map((s) => s.tag + (s.readOnly ? ' (read-only)' : '')).join(', ')}`);
  if (vm.rosetta) parts.push('Rosetta');
  if (vm.nestedVirtualization) parts.push('nested virtualization');
  if (vm.keyboard) parts.push(`${vm.keyboard === 'mac' ? 'Mac' : 'USB'} keyboard`);
  return parts.map((p) => `; ${p}`).join('');
}
