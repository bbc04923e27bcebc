// The first frame does not wait for the terminal's graphics answer (tui.tsx): while it travels the
// app draws but reads no keys, since the answer comes in as input; once it is in, keys act. The app
// runs on the fake client (below the rpc boundary); test/e2e/tui-graphics-query.test.ts runs the
// real terminal path.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import type { GraphicsChoice } from '../../src/screen/graphics.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { renderSized } from '../helpers/terminal.js';
import { threeVms } from '../helpers/uiFixtures.js';
import { waitForFrame } from '../helpers/wait.js';

test('while the graphics answer travels the dashboard draws and reads no keys; then keys act', async () => {
  const fake = new FakeClient(threeVms());
  let answer: (choice: GraphicsChoice) => void = () => undefined;
  const graphics = new Promise<GraphicsChoice>((resolve) => (answer = resolve));
  const ui = renderSized(<App clientFactory={async () => fake.asClient()} theme={plainTheme} graphics={graphics} />, 100, 30);
  try {
    await waitForFrame(ui.stdout.lastFrame, /^› dev /m);
    ui.write('j');
    await sleep(200);
    assert.match(ui.stdout.lastFrame() ?? '', /^› dev /m, 'a key before the answer is not read by the app');
    answer({ mode: 'kitty', color: 'truecolor' });
    await sleep(50);
    ui.write('j');
    await waitForFrame(ui.stdout.lastFrame, /^› installer /m);
  } finally {
    ui.unmount();
  }
});
