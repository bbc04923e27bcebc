// Runs the UI from the bundle's UI script (scripts/bundle.mjs) with V8's code cache. An ES module's
// cache (Node's compile cache) is made as the module compiles, before it runs, so every function the
// first frame calls was compiled afresh on every start: about 25 ms of a 110 ms first frame. A
// classic script's cache can be made after it has run; made once the UI has drawn, it holds that
// code too, and the next start compiles almost nothing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { keepCodeCache, readCodeCache } from './codeCache.js';

/** The cache is made this long after the UI starts (by then it has drawn), or as vmtui exits. */
const KEEP_AFTER_MS = 1000;

/** The script's text refers to these (scripts/bundleOptions.mjs, uiScriptOptions); yoga is loaded beside it. */
const PARAMETERS = 'require, module, exports, __vmtuiUrl, __vmtuiYoga';

interface UiScriptExports {
  startUiEarly(): Promise<void>;
}

/** Runs the script `name` in the bundle's folder `bundle`, its code cache kept under `home`. */
export async function runUiScript(bundle: URL, name: string, home: string): Promise<void> {
  const yoga = ((await import(new URL('yoga.js', bundle).href)) as { default: unknown }).default;
  await loadUiScript(bundle, name, home, yoga)?.startUiEarly();
}

/**
 * The script's exports, once it has run; undefined when it could not be read (said on stderr). The
 * cache read is let go once the script has compiled, not held while the UI runs.
 */
function loadUiScript(bundle: URL, name: string, home: string, yoga: unknown): UiScriptExports | undefined {
  const url = new URL(name, bundle);
  let text: string;
  try {
    text = readFileSync(url, 'utf8');
  } catch (error) {
    process.stderr.write(
      `vmtui: its UI script ${fileURLToPath(url)} could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); build vmtui again ('npm run build', or 'bash scripts/vmtui.sh', which builds it when needed).\n`,
    );
    process.exitCode = 1;
    return undefined;
  }
  const cached = readCodeCache(home, name);
  const script = new Script(`(function (${PARAMETERS}) {${text}\n})`, { filename: fileURLToPath(url), cachedData: cached });
  if (cached === undefined || script.cachedDataRejected === true) keepLater(script, home, name);
  const module = { exports: {} as UiScriptExports };
  script.runInThisContext()(createRequire(url), module, module.exports, url.href, yoga);
  return module.exports;
}

/** Keeps the script's cache once, after KEEP_AFTER_MS or at exit, whichever comes first. */
function keepLater(script: Script, home: string, name: string): void {
  let kept = false;
  const keep = () => {
    if (kept) return;
    kept = true;
    keepCodeCache(home, name, script.createCachedData());
  };
  setTimeout(keep, KEEP_AFTER_MS).unref();
  process.once('exit', keep);
}
