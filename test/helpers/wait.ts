// Poll instead of sleeping: wait until a condition holds, or fail saying what never happened.
import { isDeepStrictEqual } from 'node:util';
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

/** Waits until lastFrame() contains the text; the error shows the last frame seen. */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  text: string | RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  try {
    return await waitFor(() => {
      const frame = lastFrame() ?? '';
      return (typeof text === 'string' ? frame.includes(text) : text.test(frame)) ? frame : undefined;
    }, `a frame containing ${String(text)}`, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nLast frame:\n${lastFrame() ?? '(none)'}`);
  }
}

/** Waits until read() deep-equals `expected` (e.g. the last callback a component made); the error shows the last value. */
export async function waitForEqual<T>(read: () => T, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  try {
    await waitFor(() => isDeepStrictEqual(read(), expected), what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nExpected: ${JSON.stringify(expected)}\nLast seen: ${JSON.stringify(read())}`);
  }
}
