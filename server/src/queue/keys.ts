/** Our own Redis keys, under the queue prefix so they share its Cluster hash slot. */
export function redisKeys(prefix: string) {
  return {
    /** The records-not-delivered ledger (pending-records.ts): job id → records, its total, delivered marks. */
    pendingJobs: `${prefix}:pending:jobs`,
    pendingTotal: `${prefix}:pending:records`,
    pendingDelivered: (jobId: string) => `${prefix}:pending:delivered:${jobId}`,
    deadLetters: `${prefix}:dead-letters`,
    config: `${prefix}:config`,
    configVersion: `${prefix}:config-version`,
    /** Audit records of config changes not yet queued (ConfigChangeRelay). */
    configChanges: `${prefix}:config-changes`,
    inputStats: (input: string) => `${prefix}:input:${input}`,
    sinkStatus: `${prefix}:sink`,
    enrichmentStatus: `${prefix}:enrichment`,
    rateBucket: (bucket: number) => `${prefix}:rate:${bucket}`,
    /** Who polls a Mattermost server's /api/v4/audits now (one process at a time). */
    pollLease: (origin: string) => `${prefix}:lease:rest:${origin}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
