// Argument parsing, sizes and exit codes: pure functions, no helper.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { commandHelp, parseArgs, synopsis, type CommandSpec } from '../../src/commands/args.js';
import { UsageError } from '../../src/format/usageError.js';
import { splitAtDetach } from '../../src/commands/console.js';
import { CommandError, ExitCode, exitCodeFor } from '../../src/commands/exitCodes.js';
import type { CommandIO } from '../../src/commands/io.js';
import { findCommand, vmCommands } from '../../src/commands/registry.js';
import { parseCount, parseSeconds, parseSize, requireSectorMultiple } from '../../src/format/sizes.js';
import { bootFromArgs, configureParams, createParams, requireConsent } from '../../src/commands/vmChange.js';
import { parseWait, stopEventSentence } from '../../src/commands/vmPower.js';
import { HelperGoneError, HelperNotFoundError, HelperRequestError } from '../../src/rpc/errors.js';
import { offlineIO } from '../helpers/commandIO.js';
import { withTempFolder } from '../helpers/home.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function spec(name: string): CommandSpec {
  const command = findCommand(name);
  assert.ok(command, name);
  return command.spec;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, `expected a UsageError, got ${String(error)}`);
    assert.match(error.message, /^[^a-z].*[.)]$/s, 'a sentence');
    return error.message;
  }
  assert.fail('no UsageError');
}

test('sizes take K, M, G, T with or without iB/B, all powers of 1024', () => {
  assert.equal(parseSize('512M', '--memory'), 512 * MiB);
  assert.equal(parseSize('2G', '--memory'), 2 * GiB);
  assert.equal(parseSize('20GiB', '--disk'), 20 * GiB);
  assert.equal(parseSize('20gb', '--disk'), 20 * GiB);
  assert.equal(parseSize('1.5G', '--memory'), 1.5 * GiB);
  assert.equal(parseSize('1T', '--disk'), 1024 * GiB);
  assert.equal(parseSize('64k', '--disk'), 64 * 1024);
  assert.equal(parseSize('4096B', '--disk'), 4096);
  assert.equal(parseSize(' 2 G ', '--memory'), 2 * GiB);
});

test('a bad size is a sentence naming the option', () => {
  assert.match(usageMessage(() => parseSize('2x', '--memory')), /'2x' is not a size for --memory; write a number and a unit, as in 512M/);
  assert.match(usageMessage(() => parseSize('2048', '--memory')), /'2048' has no unit for --memory; write 2048M or 2048G/);
  assert.match(usageMessage(() => parseSize('-1G', '--disk')), /not a size for --disk/);
  assert.match(usageMessage(() => parseSize('0G', '--disk')), /--disk must be more than zero/);
  assert.match(usageMessage(() => parseSize('G', '--disk')), /not a size/);
  assert.match(usageMessage(() => parseSize('1iB', '--disk')), /not a size/);
  assert.match(usageMessage(() => parseSize('99999999999T', '--disk')), /too large/);
  assert.match(usageMessage(() => requireSectorMultiple(parseSize('1000B', '--disk'), '1000B', '--disk')), /512-byte sectors/);
  assert.equal(requireSectorMultiple(GiB, '1G', '--disk'), GiB);
});

test('counts and seconds', () => {
  assert.equal(parseCount('4', '--cpus'), 4);
  assert.match(usageMessage(() => parseCount('0', '--cpus')), /not a CPU count/);
  assert.match(usageMessage(() => parseCount('1.5', '--cpus')), /not a CPU count/);
  assert.equal(parseSeconds('30', '--timeout'), 30_000);
  assert.equal(parseSeconds('0.5', '--timeout'), 500);
  assert.match(usageMessage(() => parseSeconds('soon', '--timeout')), /not a number of seconds for --timeout/);
});

test('options with values, flags, = and -- are parsed', () => {
  const create = spec('create');
  const parsed = parseArgs(create, ['dev', '--kernel', 'vmlinuz', '--cmdline=console=ttyS0 quiet', '--sparse', '--json']);
  assert.deepStrictEqual(parsed.positionals, ['dev']);
  assert.deepStrictEqual(parsed.options, { kernel: 'vmlinuz', cmdline: 'console=ttyS0 quiet', sparse: true, json: true });
  assert.equal(parsed.help, false);
  assert.deepStrictEqual(parseArgs(spec('get'), ['--', '-odd']).positionals, ['-odd']);
  assert.equal(parseArgs(spec('start'), ['--help']).help, true);
  assert.equal(parseArgs(spec('start'), ['dev', '-h']).help, true);
});

test('usage mistakes are sentences that say what to do', () => {
  assert.match(usageMessage(() => parseArgs(spec('start'), [])), /^'vmtui start' needs NAME, as in: vmtui start NAME \[--wait running\|ip\|ssh\]/);
  assert.match(usageMessage(() => parseArgs(spec('rename'), ['a'])), /'vmtui rename' needs NEWNAME/);
  assert.match(usageMessage(() => parseArgs(spec('start'), ['a', 'b'])), /takes NAME only; 'b' is one argument too many/);
  assert.match(usageMessage(() => parseArgs(spec('list'), ['x'])), /'vmtui list' takes no arguments, but it was given 'x'/);
  assert.match(usageMessage(() => parseArgs(spec('start'), ['a', '--frob'])), /does not take '--frob'; run 'vmtui start --help'/);
  assert.match(usageMessage(() => parseArgs(spec('start'), ['a', '--frob=1'])), /does not take '--frob'/);
  assert.match(usageMessage(() => parseArgs(spec('start'), ['a', '-x'])), /does not take '-x'/);
  assert.match(usageMessage(() => parseArgs(spec('create'), ['a', '--kernel'])), /--kernel needs a value, as in --kernel PATH/);
  assert.match(usageMessage(() => parseArgs(spec('create'), ['a', '--kernel', '--sparse'])), /--kernel needs a value/);
  assert.match(usageMessage(() => parseArgs(spec('stop'), ['a', '--force=yes'])), /--force takes no value/);
  assert.equal(parseWait('ssh'), 'ssh');
  assert.match(usageMessage(() => parseWait('sometime')), /--wait takes 'running', 'ip' or 'ssh', not 'sometime'/);
  assert.equal(parseWait(undefined), 'running');
  assert.equal(parseWait('ip'), 'ip');
});

test('every command has a synopsis and a help text listing its options', () => {
  for (const command of vmCommands) {
    const help = commandHelp(command.spec);
    assert.ok(help.startsWith(`Usage: ${synopsis(command.spec)}\n`), command.spec.name);
    for (const name of Object.keys(command.spec.options)) assert.ok(help.includes(`--${name}`), `${command.spec.name} --${name}`);
  }
});

const fakeIO = offlineIO;

test('create: paths become absolute from the cwd; sizes and flags map to vm/create', async () => {
  await withTempFolder('args', async (dir) => {
    writeFileSync(join(dir, 'vmlinuz'), 'k');
    writeFileSync(join(dir, 'initrd.gz'), 'i');
    writeFileSync(join(dir, 'debian.iso'), 'iso');
    const io = fakeIO(dir);
    const create = spec('create');
    const params = createParams(
      parseArgs(create, ['dev', '--kernel', 'vmlinuz', '--initrd', './initrd.gz', '--cpus', '2', '--memory', '512M', '--disk', '1G', '--sparse']),
      io,
    );
    assert.deepStrictEqual(params, {
      name: 'dev',
      cpuCount: 2,
      memoryBytes: 512 * MiB,
      diskBytes: GiB,
      sparseOvercommit: true,
      boot: { kind: 'kernel', kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.gz'), cmdline: 'console=ttyS0' },
    });
    assert.deepStrictEqual(bootFromArgs(parseArgs(create, ['dev', '--iso', 'debian.iso']), io), { kind: 'efi', iso: join(dir, 'debian.iso') });
    assert.deepStrictEqual(createParams(parseArgs(create, ['dev', '--kernel', join(dir, 'vmlinuz'), '--cmdline', 'console=ttyS0 panic=-1']), io), {
      name: 'dev',
      boot: { kind: 'kernel', kernel: join(dir, 'vmlinuz'), cmdline: 'console=ttyS0 panic=-1' },
    });
    assert.match(usageMessage(() => bootFromArgs(parseArgs(create, ['dev']), io)), /needs a disk or a way to boot: --image PATH\|URL .* --kernel PATH .* or --iso PATH/);
    // --image: no boot section (the helper boots the image with EFI); a path made absolute, a URL kept.
    writeFileSync(join(dir, 'disk.qcow2'), 'QFI');
    assert.deepStrictEqual(createParams(parseArgs(create, ['web', '--image', 'disk.qcow2', '--disk', '20G', '--sha256', 'ab12']), io), {
      name: 'web', diskBytes: 20 * GiB, image: join(dir, 'disk.qcow2'), sha256: 'ab12',
    });
    assert.deepStrictEqual(createParams(parseArgs(create, ['web', '--image', 'https://example.org/d.qcow2']), io), { name: 'web', image: 'https://example.org/d.qcow2' });
    assert.deepStrictEqual(createParams(parseArgs(create, ['web', '--image', 'disk.qcow2', '--kernel', 'vmlinuz']), io).boot,
      { kind: 'kernel', kernel: join(dir, 'vmlinuz'), cmdline: 'console=ttyS0' });
    assert.match(usageMessage(() => createParams(parseArgs(create, ['web', '--image', 'disk.qcow2', '--iso', 'debian.iso']), io)), /does not go with --iso/);
    assert.match(usageMessage(() => createParams(parseArgs(create, ['web', '--iso', 'debian.iso', '--sha256', 'ab']), io)), /--sha256 checks the file given to --image/);
    assert.throws(() => createParams(parseArgs(create, ['web', '--image', 'absent.raw']), io), /There is no disk image file at/);
    assert.match(usageMessage(() => bootFromArgs(parseArgs(create, ['dev', '--kernel', 'vmlinuz', '--iso', 'debian.iso']), io)), /either --kernel or --iso/);
    assert.match(usageMessage(() => bootFromArgs(parseArgs(create, ['dev', '--initrd', 'initrd.gz']), io)), /go with --kernel/);
    assert.throws(
      () => bootFromArgs(parseArgs(create, ['dev', '--kernel', 'missing']), io),
      (error: unknown) => error instanceof CommandError && error.message === `There is no kernel file at ${join(dir, 'missing')}; check the path given to --kernel.`,
    );
    assert.match(usageMessage(() => createParams(parseArgs(create, ['dev', '--kernel', 'vmlinuz', '--memory', 'lots']), io)), /'lots' is not a size for --memory/);
  });
});

test('configure needs a change; delete without a terminal needs --yes', async () => {
  const configure = spec('configure');
  assert.deepStrictEqual(configureParams(parseArgs(configure, ['dev', '--cpus', '4', '--disk', '40G', '--detach-iso']), fakeIO('/')), {
    name: 'dev',
    cpuCount: 4,
    diskBytes: 40 * GiB,
    detachISO: true,
  });
  assert.match(usageMessage(() => configureParams(parseArgs(configure, ['dev']), fakeIO('/'))), /needs something to change/);
  await withTempFolder('args', async (dir) => {
    writeFileSync(join(dir, 'vmlinuz-2'), 'k');
    assert.deepStrictEqual(configureParams(parseArgs(configure, ['tiny', '--kernel', 'vmlinuz-2', '--no-initrd', '--cmdline', 'quiet']), fakeIO(dir)), {
      name: 'tiny', kernel: join(dir, 'vmlinuz-2'), initrd: '', cmdline: 'quiet',
    });
    assert.throws(() => configureParams(parseArgs(configure, ['tiny', '--kernel', 'nope']), fakeIO(dir)), /There is no kernel file at/);
  });
  const pipe = fakeIO('/');
  assert.match(usageMessage(() => requireConsent(pipe, 'dev', false)), /run 'vmtui delete dev --yes'/);
  requireConsent(pipe, 'dev', true);
  requireConsent({ ...pipe, stdin: { isTTY: true } as CommandIO['stdin'] }, 'dev', false);
});

test('exit codes follow the error kinds', () => {
  const request = (code: number, kind: string, message: string, extra: object = {}) =>
    new HelperRequestError('vm/x', code, message, { kind, ...extra } as never);
  assert.equal(exitCodeFor(new UsageError('x')), ExitCode.usage);
  assert.equal(exitCodeFor(request(1002, 'notFound', "No VM named 'dev' exists; check the name with 'vmtui list'.")), ExitCode.noSuchVm);
  assert.equal(exitCodeFor(request(1002, 'notFound', 'The kernel file /x/vmlinuz does not exist.', { path: '/x/vmlinuz' })), ExitCode.failure);
  assert.equal(exitCodeFor(request(1005, 'invalidState', 'Cannot.', { state: 'stopped' })), ExitCode.wrongState);
  assert.equal(exitCodeFor(request(1004, 'alreadyRunning', 'Running.', { pid: 1 })), ExitCode.wrongState);
  assert.equal(exitCodeFor(request(1001, 'invalidName', 'Bad name.')), ExitCode.usage);
  assert.equal(exitCodeFor(request(1007, 'limitExceeded', 'Too much.', { limit: 1 })), ExitCode.failure);
  assert.equal(exitCodeFor(new HelperNotFoundError('Missing.')), ExitCode.helper);
  assert.equal(exitCodeFor(new HelperGoneError({ exitCode: undefined, signal: 'SIGKILL' }, '/log')), ExitCode.helper);
  assert.equal(exitCodeFor(new CommandError('x', ExitCode.wrongState)), ExitCode.wrongState);
  assert.equal(exitCodeFor(new Error('x')), ExitCode.failure);
});

test('stop steps read as sentences', () => {
  const at = { name: 'dev', time: '2025-01-01T00:00:00Z' };
  assert.equal(
    stopEventSentence({ ...at, state: 'stopping', step: 'powerButton' }, 30_000, false),
    "Pressed the power button of VM 'dev'; waiting up to 30 s for the guest to power off.",
  );
  assert.equal(stopEventSentence({ ...at, state: 'stopping', step: 'forceQuit' }, 30_000, false), "The guest did not power off in time; quitting VM 'dev'.");
  assert.equal(stopEventSentence({ ...at, state: 'stopping', step: 'forceQuit' }, 30_000, true), "Quitting VM 'dev' at once (--force).");
  assert.equal(stopEventSentence({ ...at, state: 'stopped' }, 30_000, false), "VM 'dev' is stopped.");
  assert.equal(stopEventSentence({ ...at, state: 'error', reason: 'QEMU crashed.' }, 30_000, false), "VM 'dev' stopped with an error: QEMU crashed.");
});

test('Ctrl-] splits a keyboard chunk: bytes before it go to the guest', () => {
  assert.deepStrictEqual(splitAtDetach(Buffer.from('ls\r')), { forward: Buffer.from('ls\r'), detach: false });
  assert.deepStrictEqual(splitAtDetach(Buffer.from('ab\u001dcd')), { forward: Buffer.from('ab'), detach: true });
  assert.deepStrictEqual(splitAtDetach(Buffer.from('\u001d')), { forward: Buffer.alloc(0), detach: true });
});
