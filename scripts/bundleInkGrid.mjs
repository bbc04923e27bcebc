// Ink draws each frame into a grid of cells, one per column and row of the screen, and began every
// frame with a new blank cell object (and a new empty styles array) for each: 10,240 of each at
// 160×64, every second. Cells are replaced, never changed in place, so one frozen blank cell can
// stand in every empty place. test/unit/bundleInkGrid.test.ts draws frames with Ink's Output built
// both ways and compares them.
import { replacing } from './bundleReplace.mjs';

const fresh = `row.push({
                    type: 'char',
                    value: ' ',
                    fullWidth: false,
                    styles: [],
                });`;

/** The text of ink/build/output.js (at `path`) with one shared blank cell; a build error if Ink changed. */
export function sharedBlank(text, path) {
  const blank = "const vmtuiBlank = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\n";
  return blank + replacing(text, path, "Ink's output", fresh, 'row.push(vmtuiBlank);');
}
