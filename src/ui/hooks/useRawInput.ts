// Keyboard input as the terminal sent it, for the console screen: the guest wants the bytes
// (arrows as escape sequences, Ctrl keys as control characters), not Ink's parsed keys.
import type { EventEmitter } from 'node:events';
import { useInput, useStdin, type Key } from 'ink';
import { useEffect, useRef } from 'react';

/** Bytes for a key Ink has parsed; used only when Ink offers no raw input. */
export function keyToSequence(input: string, key: Key): string {
  if (key.return) return '\r';
  if (key.escape) return '\u001B';
  if (key.tab) return '\t';
  if (key.backspace) return '\u007F';
  if (key.delete) return '\u001B[3~';
  if (key.upArrow) return '\u001B[A';
  if (key.downArrow) return '\u001B[B';
  if (key.rightArrow) return '\u001B[C';
  if (key.leftArrow) return '\u001B[D';
  if (key.ctrl && input.length === 1) {
    const code = input.toUpperCase().charCodeAt(0);
    if (code >= 64 && code <= 95) return String.fromCharCode(code - 64);
  }
  return input;
}

export function useRawInput(active: boolean, onData: (data: string) => void): void {
  const stdin = useStdin() as ReturnType<typeof useStdin> & { internal_eventEmitter?: EventEmitter };
  const { setRawMode, internal_eventEmitter: emitter } = stdin;
  const handler = useRef(onData);
  handler.current = onData;

  useEffect(() => {
    if (!active || !emitter) return;
    setRawMode(true);
    // Ink's own input stream, before parsing: one listener beside useInput's, no second reader.
    const listener = (data: string) => handler.current(data);
    emitter.on('input', listener);
    return () => {
      emitter.off('input', listener);
      setRawMode(false);
    };
  }, [active, emitter, setRawMode]);

  useInput((input, key) => handler.current(keyToSequence(input, key)), { isActive: active && !emitter });
}
