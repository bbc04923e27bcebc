// The one way the bundle's patches change a dependency's text: a patch whose text is gone fails the
// build (naming the dependency, the text and the file) instead of leaving the dependency unpatched.

/** `text` with `from` replaced by `to` (every place when `all`), or a build error naming what is gone. */
export function replacing(text, path, what, from, to, all = false) {
  if (!text.includes(from)) throw new Error(`${what} changed: '${from}' is gone from ${path}; update the patch in scripts/.`);
  return all ? text.replaceAll(from, to) : text.replace(from, to);
}

/**
 * A module-level `kind name = make;` whose value is made on first use: the same object behind a
 * proxy, its methods bound to it. For values costly to make as a module loads and often never used.
 */
export const lazyConstant = (kind, name, make) =>
  `let ${name}_made; ${kind} ${name} = new Proxy({}, { get(_, key) { ${name}_made ??= ${make}; ` +
  `const value = ${name}_made[key]; return typeof value === 'function' ? value.bind(${name}_made) : value; } });`;
