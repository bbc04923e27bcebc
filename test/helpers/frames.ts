// Reading Ink frames in tests: as words, and only once the frame shows what the test asserts.
// Ink renders when React commits, which under load can be later than a test guesses, so no test
// reads a frame right after a key or after a fixed sleep: it waits for the words it expects.
import { waitFor } from './wait.js';

/** Anything with Ink's last frame: ink-testing-library's render() result, or SizedStdout. */
export interface FrameSource {
  lastFrame(): string | undefined;
}

/** Something keys can be written to: ink-testing-library's render() result. */
export interface KeySink {
  stdin: { write(data: string): void };
}

/** The frame as one line of words: box borders gone, wrapped sentences joined. */
export function flat(frame: string | undefined): string {
  return (frame ?? '').replace(/[│┌┐└┘─╭╮╰╯]/g, ' ').replace(/\s+/g, ' ').trim();
}

function shows(frame: string, text: string | RegExp): boolean {
  return typeof text === 'string' ? flat(frame).includes(flat(text)) : text.test(frame);
}

/**
 * Waits until the last frame shows the text (read as words, so a wrapped sentence counts) or
 * matches the pattern (against the frame as drawn, so /^…/m anchors to a row); returns that frame.
 * On a timeout the error shows the last frame seen.
 */
export async function waitForText(ui: FrameSource, text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  return waitForFrameWhere(ui, (frame) => shows(frame, text), `the screen to show ${String(text)}`, timeoutMs);
}

/** Waits until one frame shows every one of the texts at once. */
export async function waitForAll(ui: FrameSource, texts: Array<string | RegExp>, timeoutMs = 10_000): Promise<string> {
  return waitForFrameWhere(ui, (frame) => texts.every((t) => shows(frame, t)), `one frame to show ${texts.map(String).join(' and ')}`, timeoutMs);
}

/** Waits until the last frame no longer shows the text. */
export async function waitForGone(ui: FrameSource, text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  return waitForFrameWhere(ui, (frame) => !shows(frame, text), `${String(text)} to leave the screen`, timeoutMs);
}

/** Waits until the last frame satisfies `check`; `what` names the condition in the error. */
export async function waitForFrameWhere(ui: FrameSource, check: (frame: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
  try {
    return await waitFor(() => {
      const frame = ui.lastFrame() ?? '';
      return check(frame) ? frame : undefined;
    }, what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nLast frame:\n${ui.lastFrame() ?? '(none)'}`);
  }
}

/** Writes each key as its own write, as a person types them. Callers then wait for what the keys do. */
export function press(ui: KeySink, ...keys: string[]): void {
  for (const key of keys) ui.stdin.write(key);
}

/**
 * Types text one character per write and waits until the screen shows it (by default the last
 * 20 characters, which a scrolling field still shows; pass `shown` when the field shows something else).
 */
export async function typeText(ui: KeySink & FrameSource, text: string, shown: string | RegExp = text.slice(-20)): Promise<string> {
  press(ui, ...text);
  return waitForText(ui, shown);
}
