// An image drawn over the screen view's blank cells, written after each of Ink's renders: Ink only
// knows text, and a render that rewrites those cells would wipe a sixel or iTerm2 picture. kitty
// keeps its images on their own layer, so there a picture is written only when it changes.
let current: { image: string; kitty: boolean; written: boolean } | undefined;
let target: { write(text: string): unknown } | undefined;

/** The stream the overlay is written to (the UI's stdout). */
export function setOverlayTarget(stream: { write(text: string): unknown }): void {
  target = stream;
}

/** Shows `image` (an escape sequence) at row `row`, column 1; undefined removes it. */
export function setOverlay(image: string | undefined, kitty: boolean, row = 2): void {
  if (image === undefined) {
    if (current?.kitty) target?.write(KITTY_DELETE_ALL);
    current = undefined;
    return;
  }
  current = { image: `\u001B7\u001B[${row};1H${image}\u001B8`, kitty, written: false };
}

/** Ink's onRender: (re)draws the picture over what Ink just wrote. */
export function drawOverlay(): void {
  if (!current || !target || (current.kitty && current.written)) return;
  target.write(current.image);
  current.written = true;
}

const KITTY_DELETE_ALL = '\u001B_Ga=d,q=2\u001B\\';
