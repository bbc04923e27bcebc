// The sentences `vmtui ip` prints for each kind of answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressSentence, ipLines } from '../../src/commands/vmIp.js';

test('an address names its source and age, then how to SSH in', () => {
  const lines = ipLines({ address: { ip: '192.168.64.7', source: 'dhcpLeases', ageSeconds: 12.4 }, sshAddress: '192.168.64.7:22' });
  assert.equal(lines, '192.168.64.7 (from the DHCP leases, seen 12 s ago)\nSSH: ssh -p 22 user@192.168.64.7\n');
  assert.equal(addressSentence({ ip: '10.0.0.2', source: 'arp', ageSeconds: 0 }), '10.0.0.2 (from the ARP table, seen just now)');
});

test('without an address the note explains why, after the SSH line', () => {
  const lines = ipLines({ sshAddress: '127.0.0.1:40022', note: "QEMU's user-mode network hides the guest's own address." });
  assert.equal(lines, "SSH: ssh -p 40022 user@127.0.0.1\nQEMU's user-mode network hides the guest's own address.\n");
  assert.equal(ipLines({ note: 'No lease yet.' }), 'No lease yet.\n');
});
