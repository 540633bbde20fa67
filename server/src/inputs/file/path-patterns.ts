/**
 * AUDIT_LOG_PATHS: comma-separated paths or globs. `*` and `?` match within one path segment
 * (not a leading dot, as in a shell); `**` matches any number of directories. Node 20 has no
 * fs.glob, and a full glob library is more than a log path needs.
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type { BigIntStats } from 'node:fs';

export interface MatchedFile {
  path: string;
  stats: BigIntStats;
}

export function parsePathList(value: string, cwd = process.cwd()): string[] {
  const paths = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  return [...new Set(paths.map((p) => (isAbsolute(p) ? p : resolve(cwd, p))))];
}

function hasWildcard(segment: string): boolean {
  return /[*?]/.test(segment);
}

/** The directory a pattern starts from: its segments before the first wildcard. */
export function baseDirectory(pattern: string): string {
  const segments = pattern.split(sep);
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (hasWildcard(segment)) break;
    fixed.push(segment);
  }
  return fixed.join(sep) || sep;
}

function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (const char of segment) {
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Every regular file the patterns match now, sorted by path; missing directories match nothing. */
export async function matchFiles(patterns: readonly string[]): Promise<MatchedFile[]> {
  const found = new Map<string, MatchedFile>();
  for (const pattern of patterns) {
    const segments = pattern.split(sep).filter((s) => s !== '');
    await walk(sep, segments, found);
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function walk(dir: string, segments: readonly string[], found: Map<string, MatchedFile>): Promise<void> {
  const [segment, ...rest] = segments;
  if (segment === undefined) return;
  if (segment === '**') {
    // Zero directories, then each subdirectory with the `**` still in front.
    await walk(dir, rest, found);
    for (const child of await subdirectories(dir)) await walk(join(dir, child), segments, found);
    return;
  }
  const names = hasWildcard(segment) ? await entriesMatching(dir, segment) : [segment];
  for (const name of names) {
    const path = join(dir, name);
    if (rest.length === 0) {
      const stats = await statOrUndefined(path);
      if (stats?.isFile()) found.set(path, { path, stats });
    } else {
      await walk(path, rest, found);
    }
  }
}

async function entriesMatching(dir: string, segment: string): Promise<string[]> {
  const matcher = segmentMatcher(segment);
  const dotAllowed = segment.startsWith('.');
  return (await readdirOrEmpty(dir)).filter((name) => (dotAllowed || !name.startsWith('.')) && matcher.test(name));
}

async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** The file in `dir` with this device and inode, if any (where a rotated file went). */
export async function findByInode(dir: string, dev: string, ino: string): Promise<string | undefined> {
  for (const name of await readdirOrEmpty(dir)) {
    const stats = await statOrUndefined(join(dir, name));
    if (stats?.isFile() && String(stats.dev) === dev && String(stats.ino) === ino) return join(dir, name);
  }
  return undefined;
}

export async function statOrUndefined(path: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(path, { bigint: true });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Gone or never there (or a path through a non-directory): not an error for a log path. */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
