// Availability check for the VZ backend, which Linux compiles against VirtualizationShim where
// `@available(macOS N, *)` means nothing: every use of a shim API newer than the package's
// deployment target must sit inside `if #available(macOS M, *)` / after `guard #available(macOS M, *)`
// or in a declaration marked `@available(macOS M, *)`, with M >= N. Only files that import the
// framework are read. Enum cases are left out: vmtui only reads VZ's states (matching a case in a
// pattern is not availability-checked), and their names (.saving) are also vmtui's own states.
// Usage: node dist/scripts/check-availability.js [helper-dir]   Exit 1 with each unguarded use.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';



function swiftFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? swiftFiles(path) : name.endsWith('.swift') ? [path] : [];
  });
}

/** Code without comments and string contents, line by line (line numbers kept). */
export function codeLines(text: string): string[] {
  let out = '';
  let i = 0;
  let block = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (block) {
      if (two === '*/') { block--; i += 2; continue; }
      if (two === '/*') { block++; i += 2; continue; }
      out += text[i] === '\n' ? '\n' : ' ';
      i++;
    } else if (two === '/*') { block = 1; i += 2; }
    else if (two === '//') { while (i < text.length && text[i] !== '\n') i++; }
    else if (text[i] === '"') {
      out += '"';
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') { if (text[i] === '\\') i++; i++; }
      out += '"';
      i++;
    } else { out += text[i]; i++; }
  }
  return out.split('\n');
}

/** Names the shim declares newer than the deployment target: name -> macOS major version. */
export function newerAPIs(shimSources: string[], deploymentTarget: number): Map<string, number> {
  const apis = new Map<string, number>();
  for (const source of shimSources) {
    const lines = codeLines(source);
    lines.forEach((line, n) => {
      const m = /@available\(macOS (\d+)/.exec(line);
      if (!m || Number(m[1]) <= deploymentTarget) return;
      const decl = lines.slice(n, n + 3).join(' ').replace(/@available\([^)]*\)/g, ' ');
      const name = /\b(?:func|var|let|struct|enum|protocol|class(?!\s+(?:var|func|let)\b))\s+([A-Za-z_]\w*)/.exec(decl)?.[1];
      if (name) apis.set(name, Math.max(Number(m[1]), apis.get(name) ?? 0));
    });
  }
  return apis;
}

/** Uses of `apis` in `lines` that no availability condition or attribute covers. */
export function unguardedUses(lines: string[], apis: Map<string, number>): { line: number; name: string; needed: number }[] {
  const problems: { line: number; name: string; needed: number }[] = [];
  const scopes: { version: number }[] = [{ version: 0 }];   // one entry per open brace
  let pending = 0;                   // version for the next brace opened (if #available / @available)
  let guardPending = 0;              // a `guard #available` whose else block is being read
  let guardDepth = -1;
  lines.forEach((line, n) => {
    const condition = /#available\(macOS (\d+)/.exec(line);
    const attribute = /@available\(macOS (\d+)/.exec(line);
    if (attribute) pending = Math.max(pending, Number(attribute[1]));
    if (condition) {
      if (/\bguard\b/.test(line)) guardPending = Number(condition[1]);
      else pending = Math.max(pending, Number(condition[1]));
    }
    for (const token of line.matchAll(/[{}]|[A-Za-z_]\w*/g)) {
      const text = token[0];
      if (text === '{') {
        const inherited = scopes[scopes.length - 1]!.version;
        if (guardPending && guardDepth < 0) { guardDepth = scopes.length; scopes.push({ version: inherited }); continue; }
        scopes.push({ version: Math.max(inherited, pending) });
        pending = 0;
      } else if (text === '}') {
        scopes.pop();
        if (scopes.length === guardDepth) {
          // The guard's else block ended: the rest of the enclosing scope has the version.
          scopes[scopes.length - 1]!.version = Math.max(scopes[scopes.length - 1]!.version, guardPending);
          guardPending = 0;
          guardDepth = -1;
        }
      } else if (apis.has(text)) {
        const needed = apis.get(text)!;
        const sameLine = condition && !/\bguard\b/.test(line) && line.indexOf('#available') < (token.index ?? 0)
          && Number(condition[1]) >= needed;
        const covered = Math.max(scopes[scopes.length - 1]?.version ?? 0, attribute ? Number(attribute[1]) : 0);
        if (!sameLine && covered < needed) problems.push({ line: n + 1, name: text, needed });
      }
    }
  });
  return problems;
}

const isMain = process.argv[1] !== undefined && new URL(import.meta.url).pathname === process.argv[1];
if (isMain) {
  const helper = process.argv[2] ?? new URL('../../helper', import.meta.url).pathname;
  const manifest = readFileSync(join(helper, 'Package.swift'), 'utf8');
  const target = Number(/\.macOS\(\.v(\d+)\)/.exec(manifest)?.[1] ?? NaN);
  if (!Number.isFinite(target)) {
    console.error('check-availability: Package.swift names no macOS deployment target (.macOS(.vN)).');
    process.exit(2);
  }
  const shim = swiftFiles(join(helper, 'Sources/VirtualizationShim')).map((f) => readFileSync(f, 'utf8'));
  const apis = newerAPIs(shim, target);
  let failures = 0;
  const users = swiftFiles(join(helper, 'Sources')).filter((f) => !f.includes('/VirtualizationShim/'));
  for (const file of users) {
    const text = readFileSync(file, 'utf8');
    if (!/^\s*import (Virtualization|VirtualizationShim)\b/m.test(text)) continue;
    for (const p of unguardedUses(codeLines(text), apis)) {
      console.error(`${relative(process.cwd(), file)}:${p.line}: '${p.name}' needs macOS ${p.needed} (deployment target ${target}); put it inside 'if #available(macOS ${p.needed}, *)' or a declaration marked '@available(macOS ${p.needed}, *)'.`);
      failures++;
    }
  }
  const list = [...apis].map(([name, v]) => `${name} (${v})`).join(', ');
  if (failures) {
    console.error(`check-availability: ${failures} unguarded use(s) of APIs newer than macOS ${target}.`);
    process.exit(1);
  }
  console.log(`check-availability: every use of the ${apis.size} shim APIs newer than macOS ${target} is guarded: ${list}.`);
}
