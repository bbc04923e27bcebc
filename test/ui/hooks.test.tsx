// The two small hooks the screens share: state read back before a render, and the scope that
// drops late answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useEffect } from 'react';
import { useAnswerScope } from '../../src/ui/hooks/useAnswerScope.js';
import { useRefState, type RefState } from '../../src/ui/hooks/useRefState.js';
import { waitForFrame } from '../helpers/wait.js';

test('useAnswerScope: a changed dependency or the unmount aborts the scope work started in', async () => {
  const signals: AbortSignal[] = [];
  function Probe({ vm }: { vm: string }) {
    const scope = useAnswerScope([vm]);
    useEffect(() => {
      signals.push(scope());
    }, [vm, scope]);
    return <Text>{vm}</Text>;
  }
  const ui = render(<Probe vm="dev" />);
  await waitForFrame(ui.lastFrame, 'dev');
  assert.equal(signals.length, 1);
  assert.equal(signals[0]?.aborted, false);
  ui.rerender(<Probe vm="web" />);
  await waitForFrame(ui.lastFrame, 'web');
  assert.equal(signals[0]?.aborted, true, 'the answer for dev is dropped once web shows');
  assert.equal(signals[1]?.aborted, false);
  ui.unmount();
  assert.equal(signals[1]?.aborted, true, 'nothing lands after the unmount');
});

test('useRefState: two updates before a render each see the one before, and the render shows the last', async () => {
  let set: ((next: number | ((n: number) => number)) => void) | undefined;
  let ref: RefState<number> | undefined;
  function Counter() {
    const [value, setValue, valueRef] = useRefState(0);
    set = setValue;
    ref = valueRef;
    return <Text>{`value ${value}`}</Text>;
  }
  const ui = render(<Counter />);
  await waitForFrame(ui.lastFrame, 'value 0');
  set?.((n) => n + 1);
  assert.equal(ref?.current, 1, 'read back at once');
  set?.((n) => n + 1);
  set?.(ref!.current * 10);
  assert.equal(ref?.current, 20);
  await waitForFrame(ui.lastFrame, 'value 20');
  ui.unmount();
});
