// The details screen shows a VM's shared folders (tag → path, read-only), how they travel, and
// Rosetta / nested virtualization / keyboard when set — and nothing of them when unset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import type { HelperApi } from '../../src/rpc/api.js';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ENTER, ESCAPE } from '../helpers/keys.js';
import { threeVms } from '../helpers/uiFixtures.js';
import { waitForFrame } from '../helpers/wait.js';

test('details list the shares, the 9p note and the features that are on', async () => {
  const [dev, installer, zeta] = threeVms() as [VMInfo, VMInfo, VMInfo];
  const shared: VMInfo = {
    ...dev,
    shares: [{ tag: 'src', path: '/home/me/src', readOnly: false }, { tag: 'docs', path: '/srv/docs', readOnly: true }],
    sharing: { transport: '9p', note: 'Shared folders go through 9p, because virtiofsd is not installed on this host.' },
    nestedVirtualization: true,
  };
  const fake = new FakeClient([shared, installer, zeta]).withFixtureSnapshots();
  const ui = render(<App clientFactory={async (): Promise<HelperApi> => fake.asClient()} theme={plainTheme} />);
  try {
    await waitForFrame(ui.lastFrame, /^› dev /m);
    ui.stdin.write(ENTER);
    const frame = await waitForFrame(ui.lastFrame, /^Shares +src → \/home\/me\/src$/m);
    assert.match(frame, /^ {11}docs → \/srv\/docs \(read-only\)$/m);
    assert.match(frame, /^Sharing +Shared folders go through 9p, because virtiofsd is not installed on this host\.$/m);
    assert.match(frame, /^Nested +on \(the guest can run VMs of its own\)$/m);
    assert.ok(!/^Rosetta|^Keyboard/m.test(frame), frame);
    ui.stdin.write(ESCAPE);
    await waitForFrame(ui.lastFrame, /^› dev /m);
    ui.stdin.write('j');
    ui.stdin.write(ENTER);
    const plain = await waitForFrame(ui.lastFrame, /^installer {2}○ stopped/m);
    assert.ok(!/^Shares|^Sharing|^Nested/m.test(plain), plain);
  } finally {
    ui.unmount();
  }
});
