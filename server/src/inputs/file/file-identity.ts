/**
 * Which file is which, across renames, truncation, re-creation and restarts: device + inode
 * say where a file lives, a fingerprint of its head says which content it holds, so a reused
 * inode (or a file truncated and rewritten) is a new file.
 *
 * The head is the first line, newline included, or the first 1 KiB when that line is longer.
 * Unlike "the first 1 KiB once there is that much", it is fixed as soon as there is anything
 * to read (lines are emitted only once complete), so the identity, and with it every document
 * id, is the same whenever it is computed: before a crash and after, or from scratch.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export const FINGERPRINT_MAX_BYTES = 1024;
const NEWLINE = 10;

/**
 * The head's sha256 (hex, shortened), or undefined while the head can still change. `final`
 * (the file will not grow: rotated away and drained) takes whatever the file holds.
 */
export async function readFingerprint(handle: FileHandle, size: number, final = false): Promise<string | undefined> {
  if (size === 0) return undefined;
  const buffer = Buffer.alloc(Math.min(size, FINGERPRINT_MAX_BYTES));
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
  const head = buffer.subarray(0, bytesRead);
  const newline = head.indexOf(NEWLINE);
  let fixed: Buffer | undefined;
  if (newline !== -1) fixed = head.subarray(0, newline + 1);
  else if (head.length >= FINGERPRINT_MAX_BYTES || final) fixed = head;
  if (!fixed || fixed.length === 0) return undefined;
  return createHash('sha256').update(fixed).digest('hex').slice(0, 24);
}

export function fileIdentity(dev: string, ino: string, fingerprint: string): string {
  return `${dev}:${ino}:${fingerprint}`;
}

export function inodeKey(dev: string, ino: string): string {
  return `${dev}:${ino}`;
}

/**
 * Where the last complete line ends (AUDIT_LOG_START=end): a partial last line is being written
 * now, so it is new and read in full.
 */
export async function endOfLastLine(handle: FileHandle, size: number): Promise<number> {
  const block = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - block.length);
    const { bytesRead } = await handle.read(block, 0, end - start, start);
    const newline = block.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (newline !== -1) return start + newline + 1;
    end = start;
  }
  return 0;
}
