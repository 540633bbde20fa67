/**
 * A stream of webhook posts, as senders do it in production: a few clients side by side, each
 * post sent again after a 503 or a broken connection until it is answered 202. Once a third of
 * the records are acknowledged, `midway` runs (a kill, a failover) while the posting goes on.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { auditLine } from './audit-records.js';
import type { ForwarderProcess } from './forwarder-process.js';

export interface StreamOptions {
  total: number;
  perPost: number;
  clients: number;
  tag: string;
  midway: () => Promise<void>;
}

export interface StreamResult {
  /** user.id of every record answered 202. */
  acknowledged: Set<string>;
  /** How many answers of each status (or "network") the posts got. */
  answers: Record<string, number>;
}

export async function streamRecords(forwarder: ForwarderProcess, options: StreamOptions): Promise<StreamResult> {
  const acknowledged = new Set<string>();
  const answers: Record<string, number> = {};
  let next = 0;
  let midway: Promise<void> | undefined;
  const client = async () => {
    while (next < options.total) {
      const from = next;
      const count = Math.min(options.perPost, options.total - from);
      next += count;
      const body = Array.from({ length: count }, (_, i) => auditLine(from + i, options.tag)).join('\n');
      for (;;) {
        const response = await forwarder.post(body).catch(() => undefined);
        const answer = String(response?.status ?? 'network');
        answers[answer] = (answers[answer] ?? 0) + 1;
        await response?.arrayBuffer().catch(() => undefined);
        if (response?.status === 202) break;
        await sleep(200);
      }
      for (let i = 0; i < count; i++) acknowledged.add(`${options.tag}-${from + i}`);
      if (!midway && acknowledged.size >= options.total / 3) midway = options.midway();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  await midway;
  return { acknowledged, answers };
}
