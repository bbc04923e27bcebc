// Guest access on the CLI side: --forward parsing, the ssh argv, the ssh-config block, and the
// argument parser's repeatable options and `-- COMMAND…`. Pure functions, no helper.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseArgs } from '../../src/commands/args.js';
import { UsageError } from '../../src/format/usageError.js';
import { describeForward, parseForward, parseRemoval } from '../../src/commands/forwards.js';
import { findCommand } from '../../src/commands/registry.js';
import { sshArgv, sshConfigText, type SshTarget } from '../../src/format/ssh.js';
import { configureParams, createParams } from '../../src/commands/vmChange.js';
import type { CommandIO } from '../../src/commands/io.js';
import { vmStateLabel, sshSummary } from '../../src/format/vm.js';
import { eventText } from '../../src/format/event.js';
import { tempFolder } from '../helpers/home.js';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('no UsageError');
}

test('--forward takes [ADDR:]HOSTPORT:GUESTPORT[/tcp|udp], on 127.0.0.1 and TCP unless said', () => {
  assert.deepEqual(parseForward('8080:80'), { proto: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 80 });
  assert.deepEqual(parseForward('0.0.0.0:5353:53/udp'), { proto: 'udp', hostAddress: '0.0.0.0', hostPort: 5353, guestPort: 53 });
  assert.deepEqual(parseForward('10.0.0.1:2222:22/TCP'), { proto: 'tcp', hostAddress: '10.0.0.1', hostPort: 2222, guestPort: 22 });
  assert.match(usageMessage(() => parseForward('8080')), /not of the form \[ADDR:\]HOSTPORT:GUESTPORT/);
  assert.match(usageMessage(() => parseForward('8080:80/sctp')), /protocol 'sctp'; use tcp or udp/);
  assert.match(usageMessage(() => parseForward('0:80')), /host port '0' in '0:80' is not a port between 1 and 65535/);
  assert.match(usageMessage(() => parseForward('8080:65536')), /guest port '65536'/);
  assert.match(usageMessage(() => parseForward('localhost:8080:80')), /'localhost' .* is not an IPv4 address/);
  assert.match(usageMessage(() => parseForward('1.2.3.300:8080:80')), /not an IPv4 address/);
  assert.match(usageMessage(() => parseForward('a:b:c:d')), /not of the form/);
  assert.equal(describeForward(parseForward('8080:80')), '127.0.0.1:8080 → 80/tcp');
});

test('--remove-forward takes a host port, with or without its protocol', () => {
  assert.deepEqual(parseRemoval('8080'), { hostPort: 8080 });
  assert.deepEqual(parseRemoval('5353/udp'), { hostPort: 5353, proto: 'udp' });
  assert.match(usageMessage(() => parseRemoval('http')), /host port 'http'/);
});

const dir = tempFolder('access');
const kernel = join(dir, 'vmlinuz');
writeFileSync(kernel, '');
const io = { cwd: dir } as unknown as CommandIO;

test('create and configure carry forwards (repeatable) and the SSH port', () => {
  const create = findCommand('create')!.spec;
  const args = parseArgs(create, ['web', '--kernel', kernel, '--forward', '8080:80', '--forward=5353:53/udp']);
  assert.deepEqual(createParams(args, io).forwards, [
    { proto: 'tcp', hostAddress: '127.0.0.1', hostPort: 8080, guestPort: 80 },
    { proto: 'udp', hostAddress: '127.0.0.1', hostPort: 5353, guestPort: 53 },
  ]);
  assert.equal('forwards' in createParams(parseArgs(create, ['web', '--kernel', kernel]), io), false);
  const configure = findCommand('configure')!.spec;
  assert.deepEqual(configureParams(parseArgs(configure, ['web', '--remove-forward', '8080', '--remove-forward', '5353/udp', '--forward', '9090:90', '--ssh-port', '40100']), io), {
    name: 'web',
    addForwards: [{ proto: 'tcp', hostAddress: '127.0.0.1', hostPort: 9090, guestPort: 90 }],
    removeForwards: [{ hostPort: 8080 }, { hostPort: 5353, proto: 'udp' }],
    sshPort: 40100,
  });
  assert.match(usageMessage(() => configureParams(parseArgs(configure, ['web', '--ssh-port', '70000']), io)), /--ssh-port '70000' is not a port/);
  assert.match(usageMessage(() => configureParams(parseArgs(configure, ['web']), io)), /--forward, --remove-forward, --ssh-port/);
});

test('vmtui ssh keeps what follows -- as the command, options before it still parse', () => {
  const ssh = findCommand('ssh')!.spec;
  const a = parseArgs(ssh, ['web', '--timeout', '30', '--', 'ls', '-l', '--', '/tmp']);
  assert.deepEqual(a.positionals, ['web']);
  assert.equal(a.options.timeout, '30');
  assert.deepEqual(a.rest, ['ls', '-l', '--', '/tmp']);
  assert.equal(parseArgs(ssh, ['web']).rest, undefined);
  assert.match(usageMessage(() => parseArgs(ssh, ['web', 'ls'])), /takes NAME only; 'ls' is one argument too many/);
});

const target: SshTarget = {
  name: 'web',
  host: '127.0.0.1',
  port: 40022,
  user: 'alice',
  identityFile: '/home/alice/.ssh/id_ed25519',
  knownHostsFile: '/home/alice/.vmtui/vms/web/known_hosts',
};

test('ssh argv: port, key, the VM\'s own known_hosts, accept-new, user@host, then the command', () => {
  assert.deepEqual(sshArgv(target), [
    '-p', '40022',
    '-i', '/home/alice/.ssh/id_ed25519',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'UserKnownHostsFile=/home/alice/.vmtui/vms/web/known_hosts',
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', 'LogLevel=ERROR',
    'alice@127.0.0.1',
  ]);
  const { identityFile: _none, ...noKey } = target;
  assert.deepEqual(sshArgv(noKey, ['cat', '/etc/hostname']), [
    '-p', '40022',
    '-o', 'UserKnownHostsFile=/home/alice/.vmtui/vms/web/known_hosts',
    '-o', 'StrictHostKeyChecking=accept-new',
    '-o', 'LogLevel=ERROR',
    'alice@127.0.0.1',
    '--', 'cat', '/etc/hostname',
  ]);
});

test('ssh-config prints a Host block, quoting paths with spaces', () => {
  assert.equal(sshConfigText(target), [
    "# VM 'web' (vmtui); connect with: ssh vmtui-web",
    'Host vmtui-web',
    '  HostName 127.0.0.1',
    '  Port 40022',
    '  User alice',
    '  IdentityFile /home/alice/.ssh/id_ed25519',
    '  IdentitiesOnly yes',
    '  UserKnownHostsFile /home/alice/.vmtui/vms/web/known_hosts',
    '  StrictHostKeyChecking accept-new',
    '',
  ].join('\n'));
  const spaced = sshConfigText({ ...target, identityFile: undefined, knownHostsFile: '/Users/a b/.vmtui/vms/web/known_hosts' } as SshTarget);
  assert.match(spaced, /^  UserKnownHostsFile "\/Users\/a b\/\.vmtui\/vms\/web\/known_hosts"$/m);
  assert.doesNotMatch(spaced, /IdentityFile|IdentitiesOnly/);
});

test('the state says "ssh" once the guest\'s SSH answers, within the 15-wide state column', () => {
  const ssh = { host: '127.0.0.1', port: 40022, ready: true };
  assert.equal(vmStateLabel({ state: 'running', ssh }), '● running ssh');
  assert.ok(vmStateLabel({ state: 'running', ssh }).length <= 14);
  assert.equal(vmStateLabel({ state: 'running', ssh: { ...ssh, ready: false } }), '● running');
  assert.equal(vmStateLabel({ state: 'running', ssh }, 'stopping'), '◌ stopping…');
  assert.equal(vmStateLabel({ state: 'restarting' }), '↻ restarting');
  assert.equal(sshSummary({ name: 'web', state: 'running', ssh }), 'vmtui ssh web · 127.0.0.1:40022, ready');
  assert.equal(sshSummary({ name: 'web', state: 'stopped', ssh: { ...ssh, ready: false } }), 'vmtui ssh web · 127.0.0.1:40022, when it runs');
  assert.equal(sshSummary({ name: 'web', state: 'suspended', ssh: { ...ssh, ready: false } }), 'vmtui ssh web · 127.0.0.1:40022, when it runs');
  assert.equal(sshSummary({ name: 'web', state: 'running' }), undefined);
});

test('the event ticker tells SSH readiness apart from a state change', () => {
  const t = new Date(2026, 0, 1, 12, 3, 4).toISOString();
  assert.equal(eventText({ name: 'web', state: 'running', time: t, sshReady: true }), '12:03:04 ssh ready');
  assert.equal(eventText({ name: 'web', state: 'restarting', time: t, sshReady: false }), '12:03:04 ssh gone');
  assert.equal(eventText({ name: 'web', state: 'restarting', time: t }), '12:03:04 ↻ restarting');
});
