// scripts/test-summary.sh, the totals of scripts/test.sh, on XCTest and node TAP output as they print it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { tempFolder } from '../helpers/home.js';

const dir = tempFolder('summary');
const script = new URL('../../../scripts/test-summary.sh', import.meta.url).pathname;

const swiftSkipped = `Test Suite 'All tests' started at 2026-12-05 16:00:00.000
Test Case 'CloneFileTests.testBtrfsReflink' started at 2026-12-05 16:00:00.000
/work/helper/Tests/HelperCoreTests/CloneFileTests.swift:97: CloneFileTests.testBtrfsReflink : Test skipped - mkfs.btrfs is not installed; install btrfs-progs.
Test Case 'CloneFileTests.testBtrfsReflink' skipped (0.001 seconds)
Test Case 'CloneFileTests.testSparse' passed (0.010 seconds)
Test Suite 'All tests' passed at 2026-12-05 16:00:01.000
\t Executed 2 tests, with 1 test skipped and 0 failures (0 unexpected) in 0.011 (0.012) seconds
`;
// Two failed tests, three failed assertions: XCTest counts the assertions.
const swiftFailed = `/x/QEMUCommandLineTests.swift:82: error: QEMUCommandLineTests.testEachDeviceIsAttached : XCTAssertTrue failed
/x/QEMUCommandLineTests.swift:87: error: QEMUCommandLineTests.testEachDeviceIsAttached : XCTAssertTrue failed - drive disk0 is attached to no device
Test Case 'QEMUCommandLineTests.testEachDeviceIsAttached' failed (0.010 seconds)
/x/HelperErrorCodeTests.swift:28: error: HelperErrorCodeTests.testEveryCaseHasItsCodeAndKind : XCTAssertEqual failed
Test Case 'HelperErrorCodeTests.testEveryCaseHasItsCodeAndKind' failed (0.002 seconds)
\t Executed 203 tests, with 3 failures (0 unexpected) in 9.1 (9.2) seconds
`;
const nodeTap = (pass: number, fail: number, skipped: number, lines = '') => `TAP version 13
${lines}1..3
# tests ${pass + fail + skipped}
# suites 0
# pass ${pass}
# fail ${fail}
# cancelled 0
# skipped ${skipped}
# todo 0
# duration_ms 12.3
`;
const tapSkip = `# Subtest: a full disk is 1009 diskFull
ok 1 - a full disk is 1009 diskFull # SKIP cannot mount a tmpfs here (permission denied)
# Subtest: ipsw/latest on Linux
ok 2 - ipsw/latest on Linux # SKIP runs the real lookup on a Mac
`;

async function summary(swift: string, swiftRc: number, tap: string, nodeRc: number, ci = false) {
  writeFileSync(join(dir, 'swift.log'), swift);
  writeFileSync(join(dir, 'node.tap'), tap);
  const env = { ...process.env, CI: ci ? 'true' : '' };
  const r = await execa('bash', [script, join(dir, 'swift.log'), String(swiftRc), join(dir, 'node.tap'), String(nodeRc)], { reject: false, env });
  return { code: r.exitCode, lines: r.stdout.split('\n') };
}

test('XCTest with a skipped test, node with skips: counted, listed with reasons, total last', async () => {
  const { code, lines } = await summary(swiftSkipped, 0, nodeTap(10, 0, 2, tapSkip), 0);
  assert.equal(code, 0);
  assert.equal(lines.at(-1), 'total: 11 passed, 0 failed, 3 skipped');
  assert.deepStrictEqual(lines.slice(0, -1), [
    'skipped:',
    '  swift CloneFileTests.testBtrfsReflink: mkfs.btrfs is not installed; install btrfs-progs.',
    '  node a full disk is 1009 diskFull: cannot mount a tmpfs here (permission denied)',
    '  node ipsw/latest on Linux: runs the real lookup on a Mac',
  ]);
});

test('on CI a skip for want of what the setup provides is a failure; a platform skip is not', async () => {
  const { code, lines } = await summary(swiftSkipped, 0, nodeTap(10, 0, 2, tapSkip), 0, true);
  assert.equal(code, 1);
  assert.equal(lines.at(-1), 'total: 11 passed, 2 failed, 3 skipped');
  assert.ok(lines.includes('  swift CloneFileTests.testBtrfsReflink: mkfs.btrfs is not installed; install btrfs-progs.'), lines.join('\n'));
  assert.ok(!lines.slice(lines.indexOf('CI: these skips mean the setup did not provide what they need, so they count as failed:')).some((l) => l.includes('real lookup on a Mac')));
});

test('failures from both, and a suite that failed without a count', async () => {
  let r = await summary(swiftFailed, 1, nodeTap(5, 1, 0), 1);
  assert.equal(r.code, 1);
  assert.equal(r.lines.at(-1), 'total: 206 passed, 3 failed, 0 skipped');
  r = await summary('error: build failed\n', 1, nodeTap(5, 0, 0), 0);
  assert.equal(r.code, 1);
  assert.equal(r.lines.at(-1), 'total: 5 passed, 1 failed, 0 skipped');
});
