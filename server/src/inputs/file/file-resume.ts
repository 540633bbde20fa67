/**
 * This host's file checkpoints in memory, and which open file answers for which: where a file
 * found now resumes, which checkpoints no open file claims (rotated while we were down), and
 * which are stale (their inode now holds other content).
 */
import { FileCheckpoints, type FileCheckpoint } from './file-checkpoints.js';
import { fileIdentity } from './file-identity.js';
import type { TailedFile } from './tailed-file.js';

export interface ResumePoint {
  identity: string;
  /** The checkpoint's offset; undefined when the file has none (or outgrew it: rewritten). */
  offset: number | undefined;
}

export class ResumePoints {
  private entries = new Map<string, FileCheckpoint>();
  private readonly claimed = new Set<string>();

  constructor(private readonly store: FileCheckpoints) {}

  /** Loads the checkpoints; says whether this host has never read before, and which fields are unreadable. */
  async load(): Promise<{ firstStart: boolean; invalid: string[] }> {
    const loaded = await this.store.load();
    this.entries = loaded.entries;
    return { firstStart: loaded.firstStart, invalid: loaded.invalid };
  }

  markStarted(): Promise<void> {
    return this.store.markStarted();
  }

  /** The identity of a file with this head, and its checkpoint if one is free to claim. */
  async claim(file: Pick<TailedFile, 'dev' | 'ino' | 'path' | 'size'>, fingerprint: string): Promise<ResumePoint> {
    const free = (entry: FileCheckpoint | undefined) => (entry && !this.claimed.has(entry.identity) ? entry : undefined);
    const own = fileIdentity(file.dev, file.ino, fingerprint);
    // The same path and head under another inode: the device was renumbered, or the file restored.
    const entry = free(this.entries.get(own)) ?? free([...this.entries.values()].find((e) => e.path === file.path && e.fingerprint === fingerprint));
    const identity = entry?.identity ?? own;
    this.claimed.add(identity);
    // What this inode held before (truncated, or the inode reused) is gone for good.
    const stale = [...this.entries.values()].filter((e) => e.dev === file.dev && e.ino === file.ino && e.identity !== identity);
    await this.forget(stale.map((e) => e.identity));
    return { identity, offset: entry && entry.offset <= file.size ? entry.offset : undefined };
  }

  /** Checkpoints no open file answers for. */
  unclaimed(): FileCheckpoint[] {
    return [...this.entries.values()].filter((entry) => !this.claimed.has(entry.identity));
  }

  async save(file: TailedFile): Promise<void> {
    if (!file.identity || !file.fingerprint) return;
    const checkpoint: FileCheckpoint = {
      identity: file.identity, path: file.path, dev: file.dev, ino: file.ino, fingerprint: file.fingerprint, offset: file.committed, updatedAt: new Date().toISOString(),
    };
    this.entries.set(checkpoint.identity, checkpoint);
    await this.store.save(checkpoint);
  }

  /** A file finished, truncated, or not found: its checkpoint goes. */
  async release(identity: string): Promise<void> {
    this.claimed.delete(identity);
    await this.forget([identity]);
  }

  private async forget(identities: string[]): Promise<void> {
    for (const identity of identities) this.entries.delete(identity);
    await this.store.remove(identities);
  }
}
