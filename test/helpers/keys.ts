// What a person's keyboard sends, by name.
export const QUESTION_MARK = '?';
export const LETTER_Q = 'q';
export const ESCAPE = '\u001B';
export const CTRL_C = '\u0003';
export const ARROW_DOWN = '\u001B[B';
