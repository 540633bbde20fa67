/**
 * How many accepted records are not delivered yet: what QUEUE_HIGH_WATER_MARK is compared with
 * and /v1/status shows. A bare counter drifts: a batch delivered twice (its worker killed, or its
 * lock lost in a Redis outage, before BullMQ marked it done) was subtracted twice, and a crash
 * between an add and its increment was never added.
 *
 * So the count is a ledger: a hash of job id → records, and its total, changed only together in
 * one Lua step. A job is entered once (only while it still exists and was not delivered first),
 * and taken out once: a second delivery finds nothing to subtract. A delivery that comes before
 * the entry (a fast worker) leaves a short-lived mark that keeps the late entry out. The total
 * equals the sum of the ledger at every moment; a job added by a process that died before
 * entering it is simply not counted while it waits.
 */
import type { RedisClient } from './redis-connection.js';

/** Long enough for any enqueue to enter its jobs after a worker delivered them. */
const DELIVERED_MARK_SECONDS = 3600;

// KEYS: ledger, total, then per job its BullMQ hash and its delivered mark; ARGV: per job id, records.
const ENTER = `
local added = 0
for i = 1, #ARGV, 2 do
  if redis.call('EXISTS', KEYS[2 + i]) == 1 and redis.call('EXISTS', KEYS[3 + i]) == 0
    and redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    added = added + tonumber(ARGV[i + 1])
  end
end
if added > 0 then redis.call('INCRBY', KEYS[2], added) end
return added`;

// KEYS: ledger, total, the job's delivered mark; ARGV: job id, mark seconds.
const TAKE_OUT = `
local records = redis.call('HGET', KEYS[1], ARGV[1])
if records then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('DECRBY', KEYS[2], records)
  return tonumber(records)
end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[2])
return 0`;

export interface PendingKeys {
  ledger: string;
  total: string;
  deliveredMark: (jobId: string) => string;
  /** BullMQ's hash of a job. */
  job: (jobId: string) => string;
}

export class PendingRecords {
  constructor(private readonly redis: RedisClient, private readonly keys: PendingKeys) {}

  /** Enters jobs just added to the queue. */
  async enter(jobs: ReadonlyArray<{ id: string; records: number }>): Promise<void> {
    if (jobs.length === 0) return;
    const keys = [this.keys.ledger, this.keys.total];
    const args: string[] = [];
    for (const job of jobs) {
      keys.push(this.keys.job(job.id), this.keys.deliveredMark(job.id));
      args.push(job.id, String(job.records));
    }
    await this.redis.eval(ENTER, keys.length, ...keys, ...args);
  }

  /** Takes a delivered (or dead-lettered) job out; a second call for the same job changes nothing. */
  async takeOut(jobId: string): Promise<void> {
    await this.redis.eval(TAKE_OUT, 3, this.keys.ledger, this.keys.total, this.keys.deliveredMark(jobId), jobId, DELIVERED_MARK_SECONDS);
  }

  async total(): Promise<number> {
    return Number((await this.redis.get(this.keys.total)) ?? 0);
  }
}
