/**
 * fs.watch on the directories the patterns start from, to notice a write or a rotation before
 * the next poll. Only a hint: events can be missed or coalesced (and network file systems send
 * none), so the 250 ms stat poll stays the source of truth.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Logger } from '../../logger.js';
import { baseDirectory, isMissing } from './path-patterns.js';

export class FileWatchers {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly directories: string[];
  /** Directories whose watch failed for another reason than absence: said once. */
  private readonly reported = new Set<string>();
  private closed = false;

  constructor(patterns: readonly string[], private readonly onChange: () => void, private readonly logger: Logger) {
    this.directories = [...new Set(patterns.map(baseDirectory))];
  }

  /** Watches the directories not watched yet (one may appear after the start). */
  refresh(): void {
    if (this.closed) return;
    for (const dir of this.directories) {
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, () => this.onChange());
        watcher.on('error', (error) => {
          this.logger.debug({ err: error, 'file.directory': dir }, 'fs.watch failed: polling only until it can watch again');
          watcher.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, watcher);
      } catch (error) {
        if (!isMissing(error) && !this.reported.has(dir)) {
          this.reported.add(dir);
          this.logger.info({ err: error, 'file.directory': dir }, 'cannot fs.watch: polling only');
        }
      }
    }
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
