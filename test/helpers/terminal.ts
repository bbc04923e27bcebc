// A stdout with a size we choose and can change, for layout and resize tests
// (ink-testing-library pins its stdout at 100 columns).
import { EventEmitter } from 'node:events';

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
