// The helper's rule for VM and snapshot names (PROTOCOL.md, error 1001), checked before a request
// so a prompt can say what is wrong while the typed text is still there.

/** `[A-Za-z0-9][A-Za-z0-9._-]{0,62}`, as the helper checks it. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** The longest name the helper takes. */
export const NAME_MAX_LENGTH = 63;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** A sentence saying why `name` cannot be used for `what` ("the snapshot"), or undefined when it can. */
export function nameProblem(name: string, what: string): string | undefined {
  if (name === '') return `Type a name for ${what}.`;
  if (isValidName(name)) return undefined;
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  if (name.length > NAME_MAX_LENGTH) return `'${shown}' is too long for ${what}; use at most ${NAME_MAX_LENGTH} characters.`;
  if (!/^[A-Za-z0-9]/.test(name)) return `'${shown}' cannot be the name of ${what}; start it with a letter or digit.`;
  return `'${shown}' cannot be the name of ${what}; use only letters, digits, '.', '_' and '-'.`;
}

/**
 * The first of `stem + suffix(1)`, `stem + suffix(2)`, … that is not taken, the stem shortened so
 * each fits NAME_MAX_LENGTH. The one generator behind the wizard's and the clone dialog's defaults.
 */
export function uniqueName(stem: string, taken: readonly string[], suffix: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const end = suffix(n);
    const name = stem.slice(0, NAME_MAX_LENGTH - end.length) + end;
    if (!taken.includes(name)) return name;
  }
}

/** nameProblem for a new VM, plus "already exists" when `taken` holds the name. */
export function newVmNameProblem(name: string, taken: readonly string[], what = 'the new VM'): string | undefined {
  return nameProblem(name, what) ?? (taken.includes(name) ? `A VM named '${name}' already exists; pick another name.` : undefined);
}
