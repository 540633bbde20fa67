/**
 * The forwarder settings a bench run passes through from its own environment (ForwarderProcess
 * gives the child only what it is told), e.g. `TRANSFORM_THREADS=1 make bench` to compare.
 */
const TUNABLE = ['TRANSFORM_THREADS', 'AUDIT_LOG_DELIVERY', 'BATCH_SIZE', 'WORKER_CONCURRENCY'] as const;

export function forwarderTuning(): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of TUNABLE) {
    const value = process.env[name];
    if (value !== undefined && value !== '') settings[name] = value;
  }
  if (process.env.FORWARDER_NODE_OPTIONS) settings.NODE_OPTIONS = process.env.FORWARDER_NODE_OPTIONS;
  return settings;
}
