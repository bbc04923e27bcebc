// File paths typed in the wizard: "~" and relative paths made absolute, and Tab completion as in a
// shell (one match completes, several complete to their common start and are listed).
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { compareText } from '../format/text.js';

export interface DirEntry {
  name: string;
  isDirectory: boolean;
}

export type PathKind = 'file' | 'directory' | 'missing' | 'other';

/** What the wizard may ask of the file system; tests pass their own. */
export interface PathProbe {
  cwd: string;
  home: string;
  kind(absolute: string): PathKind;
  /** The folder's entries; an empty list when it cannot be read. */
  list(absolute: string): DirEntry[];
}

export function expandPath(text: string, cwd: string, home: string): string {
  const trimmed = text.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/')) return join(home, trimmed.slice(2));
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(cwd, trimmed);
}

export interface Completion {
  text: string;
  /** The names that still match when the text could not be completed to one. */
  candidates: string[];
}

function commonStart(names: string[]): string {
  let start = names[0] ?? '';
  for (const name of names) while (!name.startsWith(start)) start = start.slice(0, -1);
  return start;
}

/** Completes the last part of a typed path against its folder; keeps "~/" and relative forms. */
export function completePath(text: string, probe: PathProbe): Completion {
  const slash = text.lastIndexOf('/');
  const folderText = slash === -1 ? '' : text.slice(0, slash + 1);
  const prefix = text.slice(slash + 1);
  const folder = folderText === '' ? probe.cwd : expandPath(folderText, probe.cwd, probe.home);
  const matches = probe
    .list(folder)
    .filter((e) => e.name.startsWith(prefix) && (prefix.startsWith('.') || !e.name.startsWith('.')))
    .sort((a, b) => compareText(a.name, b.name));
  const only = matches.length === 1 ? matches[0] : undefined;
  if (only) return { text: folderText + only.name + (only.isDirectory ? '/' : ''), candidates: [] };
  if (matches.length === 0) return { text, candidates: [] };
  return {
    text: folderText + commonStart(matches.map((m) => m.name)),
    candidates: matches.map((m) => m.name + (m.isDirectory ? '/' : '')),
  };
}

/** The real file system, for the running app. */
export function fileSystemProbe(cwd: string, home: string): PathProbe {
  return {
    cwd,
    home,
    kind: (absolute) => {
      try {
        const st = statSync(absolute);
        return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
      } catch {
        return 'missing';
      }
    },
    list: (absolute) => {
      try {
        return readdirSync(absolute, { withFileTypes: true }).map((d) => {
          let isDirectory = d.isDirectory();
          // A symlink to a folder completes like a folder.
          if (d.isSymbolicLink()) {
            try {
              isDirectory = statSync(join(absolute, d.name)).isDirectory();
            } catch {
              isDirectory = false;
            }
          }
          return { name: d.name, isDirectory };
        });
      } catch {
        return [];
      }
    },
  };
}
