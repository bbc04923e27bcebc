// The install wizard's rules as pure functions; paths are checked against a real temp folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { type InitializeResult } from '../../src/rpc/protocol.js';
import { completePath, expandPath, fileSystemProbe } from '../../src/ui/pathCompletion.js';
import { newVmNameProblem } from '../../src/rpc/names.js';
import { macosAvailability } from '../../src/format/availability.js';
import { downloadLine, formatEta, installLine, progressBar } from '../../src/format/progress.js';
import {
  checkFile,
  checkSizes,
  createParams,
  defaultSizes,
  partialFor,
  suggestName,
  summaryRows,
  urlProblem,
} from '../../src/ui/wizardModel.js';
import { tempFolder } from '../helpers/home.js';
import { linuxHost, linuxInit } from '../helpers/uiFixtures.js';

// 2 cores, 24 GiB memory, 80 GiB free
const host = linuxHost;
const macInit: InitializeResult = { ...linuxInit, platform: 'macos', arch: 'arm64', backend: 'vz', capabilities: { ...linuxInit.capabilities, macosGuests: true } };
const GiB = 2 ** 30;

const root = tempFolder('wizard', {
  'isos/debian-12.7.0-amd64-netinst.iso': 'x',
  'isos/debian-12.7.0-arm64-netinst.iso': 'x',
  'isos/alpine.iso': 'x',
  'isos/.hidden.iso': 'x',
  'isos/old/': '',
  'home/fedora.iso': 'x',
});
const probe = fileSystemProbe(root, join(root, 'home'));

test('macOS is offered only where initialize says so, with the reason otherwise', () => {
  const linux = macosAvailability(linuxInit, host);
  assert.equal(linux.available, false);
  assert.equal(linux.reason, 'macOS guests need Virtualization.framework on an Apple silicon Mac; this host runs Linux with QEMU.');
  assert.deepEqual(macosAvailability(macInit, { ...host, macosSlots: { used: 0, max: 2, vms: [] } }), { available: true });
  const full = macosAvailability(macInit, { ...host, macosSlots: { used: 2, max: 2, vms: ['a', 'b'] } });
  assert.equal(full.available, true);
  assert.match(full.reason ?? '', /2 of 2 macOS VMs already run/);
});

test('a path must name a file: missing, folder and empty each get their sentence', () => {
  assert.deepEqual(checkFile('isos/alpine.iso', probe, 'an ISO image'), { path: join(root, 'isos', 'alpine.iso') });
  assert.deepEqual(checkFile('~/fedora.iso', probe, 'an ISO image'), { path: join(root, 'home', 'fedora.iso') });
  assert.deepEqual(checkFile('isos/nope.iso', probe, 'an ISO image'), {
    error: `There is no file at ${join(root, 'isos', 'nope.iso')}; check the path (Tab completes names).`,
  });
  assert.deepEqual(checkFile('isos', probe, 'an ISO image'), {
    error: `${join(root, 'isos')} is a folder; type the name of an ISO image inside it (Tab lists what is there).`,
  });
  assert.deepEqual(checkFile('  ', probe, 'an ISO image'), { error: 'Type the path of an ISO image (Tab completes names).' });
  assert.equal(expandPath('~', root, '/home/u'), '/home/u');
});

test('Tab completes one match fully, several to their common start, and keeps ~/', () => {
  assert.deepEqual(completePath('isos/al', probe), { text: 'isos/alpine.iso', candidates: [] });
  assert.deepEqual(completePath('is', probe), { text: 'isos/', candidates: [] });
  assert.deepEqual(completePath('isos/deb', probe), {
    text: 'isos/debian-12.7.0-a',
    candidates: ['debian-12.7.0-amd64-netinst.iso', 'debian-12.7.0-arm64-netinst.iso'],
  });
  assert.deepEqual(completePath('isos/o', probe), { text: 'isos/old/', candidates: [] });
  assert.deepEqual(completePath('~/f', probe), { text: '~/fedora.iso', candidates: [] });
  assert.deepEqual(completePath('isos/zz', probe), { text: 'isos/zz', candidates: [] });
  // Hidden files only when asked for.
  assert.deepEqual(completePath('isos/.h', probe), { text: 'isos/.hidden.iso', candidates: [] });
  assert.equal(completePath('isos/', probe).candidates.some((c) => c.startsWith('.')), false);
});

test('URLs must be http or https', () => {
  assert.equal(urlProblem('https://updates.example.com/a.ipsw'), undefined);
  assert.match(urlProblem('ftp://x/a.ipsw') ?? '', /not an http or https address/);
  assert.match(urlProblem('updates.example.com') ?? '', /not a web address/);
  assert.match(urlProblem('') ?? '', /Type the web address/);
});

test('names follow the helper rule and taken names are refused', () => {
  const nameProblem = (name: string, taken: string[]) => newVmNameProblem(name, taken, 'the VM');
  assert.equal(nameProblem('debian-12', ['dev']), undefined);
  assert.equal(nameProblem('dev', ['dev']), "A VM named 'dev' already exists; pick another name.");
  assert.match(nameProblem('-bad', []) ?? '', /cannot be the name of the VM; start it with a letter or digit\.$/);
  assert.match(nameProblem('a/b', []) ?? '', /cannot be the name of the VM; use only letters, digits/);
  assert.match(nameProblem('x'.repeat(64), []) ?? '', /is too long for the VM; use at most 63 characters\.$/);
  assert.equal(nameProblem('', []), 'Type a name for the VM.');
  assert.equal(suggestName('/isos/debian-12.7.0-amd64-netinst.iso', [], 'linux'), 'debian-12.7.0-amd64-netinst');
  assert.equal(suggestName('/isos/My Distro (1).iso', ['My-Distro-1-'], 'linux'), 'My-Distro-1--2');
  assert.equal(suggestName('/isos/.iso', [], 'linux'), 'linux');
  assert.equal(nameProblem(suggestName('/x/' + 'a'.repeat(90) + '.iso', [], 'linux'), []), undefined);
});

test('sizes start from values that fit the host', () => {
  assert.deepEqual(defaultSizes('linux', host), { cpus: '2', memory: '2G', disk: '16G' });
  assert.deepEqual(defaultSizes('macos', host), { cpus: '2', memory: '8G', disk: '64G' });
  const small = { ...host, cpuCores: 1, memoryBytes: 3 * GiB, freeDiskBytes: 10 * GiB };
  assert.deepEqual(defaultSizes('linux', small), { cpus: '1', memory: '1536M', disk: '5G' });
  assert.deepEqual(defaultSizes('macos', small, { cpuCount: 2, memoryBytes: 4 * GiB }), { cpus: '2', memory: '4G', disk: '5G' });
  for (const os of ['linux', 'macos'] as const) {
    assert.ok(checkSizes(defaultSizes(os, host), host).sizes, `${os} defaults pass their own check`);
  }
});

test('sizes are checked against the host cores, memory, free disk and the image minimum', () => {
  assert.deepEqual(checkSizes({ cpus: '1', memory: '256M', disk: '64M' }, host), {
    sizes: { cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20 },
    errors: {},
  });
  const bad = checkSizes({ cpus: '3', memory: '32G', disk: '100G' }, host);
  assert.equal(bad.sizes, undefined);
  assert.deepEqual(bad.errors, {
    cpus: 'This host has 2 cores; give the VM at most 2 CPUs.',
    memory: 'This host has 24 GiB of memory; give the VM less.',
    disk: 'Only 80 GiB is free where VMs are kept; choose a smaller disk.',
  });
  const words = checkSizes({ cpus: 'two', memory: '512', disk: 'big' }, host).errors;
  assert.equal(words.cpus, "'two' is not a number of CPUs; write a whole number such as 2.");
  assert.equal(words.memory, "'512' has no unit for memory; write 512M or 512G (or 512B for bytes).");
  assert.match(words.disk ?? '', /'big' is not a size for the disk/);
  assert.equal(checkSizes({ cpus: '1', memory: '32M', disk: '1000B' }, host).errors.memory, 'Give the VM at least 64M of memory.');
  assert.match(checkSizes({ cpus: '1', memory: '64M', disk: '1000B' }, host).errors.disk ?? '', /512-byte sectors/);
  const min = checkSizes({ cpus: '1', memory: '2G', disk: '64G' }, host, { cpuCount: 2, memoryBytes: 4 * GiB }).errors;
  assert.equal(min.cpus, 'This macOS needs at least 2 CPUs.');
  assert.equal(min.memory, 'This macOS needs at least 4 GiB of memory.');
});

test('create params and summary for a Linux ISO and a macOS image; partial downloads are found by URL', () => {
  const sizes = { cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20 };
  const linux = { os: 'linux' as const, source: { kind: 'iso' as const, path: '/isos/a.iso' }, name: 'a', sizes };
  assert.deepEqual(createParams(linux), { name: 'a', os: 'linux', ...sizes, boot: { kind: 'efi', iso: '/isos/a.iso' } });
  assert.deepEqual(summaryRows(linux, host).map(([k]) => k), ['Guest', 'Source', 'Name', 'CPUs', 'Memory', 'Disk']);
  assert.deepEqual(summaryRows(linux, host)[1], ['Source', 'ISO image /isos/a.iso']);
  assert.deepEqual(summaryRows(linux, host)[3], ['CPUs', '1 of 2 cores']);
  const latest = { version: '15.1', build: '24B83', url: 'https://x/a.ipsw', sizeBytes: 14 * GiB };
  const mac = { os: 'macos' as const, source: { kind: 'latest' as const, latest }, name: 'm', sizes };
  assert.deepEqual(createParams(mac, '/cache/a.ipsw'), { name: 'm', os: 'macos', ...sizes, boot: { kind: 'macos' }, ipsw: '/cache/a.ipsw' });
  assert.equal(summaryRows(mac, host)[1]?.[1], 'latest macOS 15.1 (24B83), downloaded from Apple, 14 GiB');
  const images = [
    { name: 'a.ipsw', path: '/c/a.ipsw', sizeBytes: 14 * GiB, complete: true, url: 'https://x/a.ipsw' },
    { name: 'b.partial', path: '/c/b.partial', sizeBytes: GiB, complete: false, url: 'https://x/b.ipsw', totalBytes: 14 * GiB },
  ];
  assert.equal(partialFor('https://x/a.ipsw', images), undefined);
  assert.equal(partialFor('https://x/b.ipsw', images)?.name, 'b.partial');
});

test('progress text: a clamped bar, bytes, rate, ETA and phase', () => {
  assert.equal(progressBar(0.5, 10), '█████░░░░░');
  assert.equal(progressBar(7, 4), '████');
  assert.equal(progressBar(-1, 4), '░░░░');
  assert.equal(progressBar(Number.NaN, 3), '░░░');
  assert.equal(formatEta(150), '2 min 30 s left');
  assert.equal(formatEta(3900), '1 h 5 min left');
  assert.equal(formatEta(null), 'time left unknown');
  const p = { url: 'u', phase: 'downloading' as const, receivedBytes: 6 * GiB, totalBytes: 12 * GiB, bytesPerSecond: 50 * 2 ** 20, etaSeconds: 125 };
  assert.equal(downloadLine(p), 'Downloading · 50% · 6 GiB of 12 GiB · 50 MiB/s · 2 min 5 s left');
  assert.equal(downloadLine({ ...p, phase: 'verifying' }), 'Checking the SHA-256 digest · 50% · 6 GiB of 12 GiB');
  assert.equal(downloadLine({ ...p, phase: 'connecting', receivedBytes: 0, totalBytes: null }), 'Connecting · 0 B');
  assert.equal(installLine({ fraction: 0.372, phase: 'installing' }), 'Installing macOS · 37% · installing');
});
