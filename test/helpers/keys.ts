// What a person's keyboard sends, by name.
export const QUESTION_MARK = '?';
export const LETTER_Q = 'q';
export const ESCAPE = '\u001B';
export const CTRL_C = '\u0003';
export const CTRL_RIGHT_BRACKET = '\u001D';
export const ARROW_UP = '\u001B[A';
export const ARROW_DOWN = '\u001B[B';
export const ENTER = '\r';
export const BACKSPACE = '\u007F';
export const TAB = '\t';
