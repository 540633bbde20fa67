/** Our own Redis keys, under the queue prefix so they share its Cluster hash slot. */
export function redisKeys(prefix: string) {
  return {
    pendingRecords: `${prefix}:pending-records`,
    deadLetters: `${prefix}:dead-letters`,
    config: `${prefix}:config`,
    configVersion: `${prefix}:config-version`,
    /** Audit records of config changes not yet queued (ConfigChangeRelay). */
    configChanges: `${prefix}:config-changes`,
    inputStats: (input: string) => `${prefix}:input:${input}`,
    sinkStatus: `${prefix}:sink`,
    enrichmentStatus: `${prefix}:enrichment`,
    rateBucket: (bucket: number) => `${prefix}:rate:${bucket}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
