/**
 * The file a shipper follows in the real-node figures: first a warm-up file of its own, then the
 * measured backlog renamed over it, as a rotation does. The shipper and Elasticsearch are warm
 * (JIT, mappings, connections) when the measured lines appear: a cold node's first tens of
 * seconds compile code rather than index, and a production node is warm. The warm-up lines are
 * the generator's first lines again, in another file: new documents (our ids name the file).
 */
import { renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BACKLOG_START, LINE_INTERVAL_MS, writeLegacyBacklog } from './record-mix.js';

export const WARMUP_LINES = Number(process.env.BENCH_WARMUP_LINES ?? 100_000);
if (!Number.isInteger(WARMUP_LINES) || WARMUP_LINES < 0) throw new Error(`BENCH_WARMUP_LINES must be an integer ≥ 0 (got ${JSON.stringify(process.env.BENCH_WARMUP_LINES)})`);

export interface Backlog {
  /** The path the shipper follows (absent until beginWarmUp). */
  followed: string;
  lines: number;
  warmupLines: number;
  /** Bytes of the measured backlog. */
  bytes: number;
  /** The warm-up file appears at the followed path. */
  beginWarmUp(): void;
  /** The measured backlog replaces it at once (a rename): from here on it is the shipper's work. */
  rotateIn(): void;
}

export async function prepareBacklog(dir: string, lines: number, warmupLines = WARMUP_LINES): Promise<Backlog> {
  const logs = join(dir, 'logs');
  await mkdir(logs, { recursive: true });
  const followed = join(logs, 'audit.log');
  const staged = join(dir, 'staged.log');
  const warmup = join(dir, 'warmup.log');
  const bytes = await writeLegacyBacklog(staged, lines);
  // Its records come before the backlog's, as earlier lines of a log do.
  if (warmupLines > 0) await writeLegacyBacklog(warmup, warmupLines, BACKLOG_START - warmupLines * LINE_INTERVAL_MS);
  return {
    followed, lines, warmupLines, bytes,
    beginWarmUp: () => {
      if (warmupLines > 0) renameSync(warmup, followed);
    },
    rotateIn: () => renameSync(staged, followed),
  };
}

/** Polls `indexed` until it reaches `count`; the error says how far it got. */
export async function waitUntilIndexed(indexed: () => Promise<number> | number, count: number, timeoutMs: number, what: string, onPoll?: () => void): Promise<void> {
  const started = performance.now();
  for (;;) {
    const done = await indexed();
    if (done >= count) return;
    onPoll?.();
    if (performance.now() - started > timeoutMs) throw new Error(`${what}: only ${done} of ${count} documents indexed after ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The searchable count once it reaches `expected` (a retried bulk's items can show in the indexing
 * stats before the last refresh), or what it is after 30 s: the figure's check compares it.
 */
export async function countSettled(node: { count(target: string): Promise<number> }, target: string, expected: number): Promise<number> {
  const deadline = performance.now() + 30_000;
  for (;;) {
    const counted = await node.count(target);
    if (counted >= expected || performance.now() > deadline) return counted;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
