// The helper's rule for VM and snapshot names (PROTOCOL.md, error 1001), checked before a request
// so a prompt can say what is wrong while the typed text is still there.

/** `[A-Za-z0-9][A-Za-z0-9._-]{0,62}`, as the helper checks it. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** A sentence saying why `name` cannot be used for `what` ("the snapshot"), or undefined when it can. */
export function nameProblem(name: string, what: string): string | undefined {
  if (name === '') return `Type a name for ${what}.`;
  if (isValidName(name)) return undefined;
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  if (name.length > 63) return `'${shown}' is too long for ${what}; use at most 63 characters.`;
  if (!/^[A-Za-z0-9]/.test(name)) return `'${shown}' cannot be the name of ${what}; start it with a letter or digit.`;
  return `'${shown}' cannot be the name of ${what}; use only letters, digits, '.', '_' and '-'.`;
}
