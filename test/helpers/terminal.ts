// A stdout with a size we choose and can change, for layout and resize tests
// (ink-testing-library pins its stdout at 100 columns), and Ink rendering into it.
import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { render } from 'ink-testing-library';
import { Fragment, createElement, type ReactElement } from 'react';

export class SizedStdout extends EventEmitter {
  frames: string[] = [];
  isTTY = true;

  constructor(public columns: number, public rows: number) {
    super();
  }

  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };

  lastFrame = (): string | undefined => this.frames.at(-1);

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export interface SizedRender {
  stdout: SizedStdout;
  /** Types into the app: each call is one read, as a terminal delivers it. */
  write(chunk: string): void;
  unmount(): void;
}

/** Renders `element` with Ink into a SizedStdout of columns×rows, with a keyboard-shaped stdin. */
export function renderSized(element: ReactElement, columns: number, rows: number): SizedRender {
  const stdout = new SizedStdout(columns, rows);
  const keyboard = render(createElement(Fragment)).stdin; // a keyboard-shaped stream Ink reads
  const instance = inkRender(element, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: keyboard as unknown as NodeJS.ReadStream,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return { stdout, write: (chunk) => keyboard.write(chunk), unmount: () => instance.unmount() };
}
