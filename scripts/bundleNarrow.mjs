// Text the TUI draws is mostly ASCII plus a few symbols (bars, dots, arrows, box lines). Ink's
// helpers treat anything past ASCII as possibly an emoji or a combining cluster: they run ICU's
// grapheme segmenter and string-width's Unicode expressions over it (the emoji expression alone
// took 37 ms to build on first use, and widths were the largest cost of a 50-VM redraw). For the
// symbols below that answer is known: one column each, and each its own grapheme whatever stands
// beside it. test/unit/bundleNarrow.test.ts checks both against string-width and Intl.Segmenter,
// and the patched functions against the originals.
import { replacing } from './bundleReplace.mjs';

/** Symbols one column wide that never join a neighbour into one grapheme. */
export const NARROW_CHARS = [
  '·…—–−×±’‖›‹«»°µ', // punctuation and signs
  '←↑→↓↻✓✗●○◌◇▲▼', // arrows, marks, shapes the UI uses
  '▁▂▃▄▅▆▇█▀░▒▓▏▎▍▌▋▊▉', // bars and shades
  '─│┌┐└┘├┤┬┴┼╭╮╰╯═║╔╗╚╝━┃┏┓┗┛╓╖╙╜╒╕╘╛', // Ink's box borders
].join('');

/**
 * A class body matching printable ASCII and NARROW_CHARS, written as \\u escapes: esbuild leaves a
 * regular expression's text as it is, and one non-ASCII character in the UI script makes V8 keep
 * all of its text in two bytes a character (bundle.mjs checks).
 */
const narrowClass = ` -~${[...NARROW_CHARS].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}`;

/**
 * Text whose every UTF-16 unit is a grapheme one column wide, but for newlines and ESC: the bundle's
 * Ink Output (src/ui/inkOutput.ts) reads it unit by unit.
 */
export const simpleUnits = new RegExp(`^[\\n\\u001B${narrowClass}]*$`);

/** string-width's text with its ASCII shortcut widened to the narrow symbols (bundleOptions.mjs adds its cache too). */
export const narrowStringWidth = (text, path) =>
  replacing(text, path, 'string-width', 'if (/^[\\u0020-\\u007E]*$/.test(string)) {', `if (/^[${narrowClass}]*$/.test(string)) {`);

/**
 * ansi-tokenize and Ink's line update walk graphemes with the segmenter; in text
 * made of ASCII, ESC and the narrow symbols every UTF-16 unit is a grapheme, so they walk units.
 */
export const narrowTokenize = (text, path) =>
  replacing(
    text,
    path,
    'ansi-tokenize',
    'for (const { segment, index } of segmenter.segment(str)) {',
    // The same loop over UTF-16 units when every unit is a grapheme; `continue` and `break` in
    // its body keep their meaning.
    `const vmtuiWhole = vmtuiUnits.test(str);
    const vmtuiSegments = vmtuiWhole ? undefined : segmenter.segment(str)[Symbol.iterator]();
    for (let vmtuiAt = 0; ; vmtuiAt++) {
        let segment, index;
        if (vmtuiWhole) {
            if (vmtuiAt >= str.length) break;
            segment = str[vmtuiAt];
            index = vmtuiAt;
        } else {
            const next = vmtuiSegments.next();
            if (next.done) break;
            ({ segment, index } = next.value);
        }`,
  ) + `\nconst vmtuiUnits = /^[\\u001B${narrowClass}]*$/;\n`;

export const narrowLineUpdate = (text, path) =>
  replacing(text, path, "Ink's line update", 'const printableAscii = /^[ -~]*$/u;', `const printableAscii = /^[${narrowClass}]*$/u;`);
