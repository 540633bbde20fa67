/**
 * The performance targets of `make bench` (issues 7 and 14), checked against the JSON lines the
 * bench prints: bench/run.ts marks them in its table, bench/check-targets.ts gates on them.
 * rsyslog_ratio (our ECS mapping against rsyslog's bare JSON parsing, into the emulator) has no
 * target since issue 14: what a user weighs is Elastic's own way, elastic_pipeline_ratio.
 */
export interface BenchLine {
  bench: string;
  value: number;
  unit: string;
  [detail: string]: unknown;
}

export interface Target {
  bench: string;
  /** `min`: the figure must reach the limit (≥); `below`: stay under it (<); `atMost`: not exceed it (≤). */
  kind: 'min' | 'below' | 'atMost';
  limit: number;
  unit: string;
}

export const TARGETS: readonly Target[] = [
  { bench: 'transform', kind: 'min', limit: 200_000, unit: 'records/s' },
  { bench: 'end_to_end', kind: 'min', limit: 20_000, unit: 'records/s' },
  { bench: 'memory', kind: 'below', limit: 300, unit: 'MB' },
  { bench: 'elastic_pipeline_ratio', kind: 'min', limit: 2.0, unit: 'ratio' },
  { bench: 'es_ceiling_share', kind: 'min', limit: 0.8, unit: 'ratio' },
  { bench: 'forwarder_cpu_us_per_record', kind: 'atMost', limit: 20, unit: 'us/record' },
];

export interface TargetResult {
  target: Target;
  /** `absent`: the figure was not printed (skipped or failed): a target not shown to be met. */
  status: 'met' | 'missed' | 'absent';
  value?: number;
}

export function describeTarget(target: Target): string {
  const sign = { min: '≥', below: '<', atMost: '≤' }[target.kind];
  return `${sign} ${target.limit.toLocaleString('en-US')} ${target.unit}`;
}

export function checkTargets(lines: readonly BenchLine[]): TargetResult[] {
  return TARGETS.map((target) => {
    const line = lines.find((l) => l.bench === target.bench);
    if (!line) return { target, status: 'absent' };
    if (line.unit !== target.unit) throw new Error(`${target.bench} is in ${line.unit}, its target in ${target.unit}`);
    const met = target.kind === 'min' ? line.value >= target.limit : target.kind === 'below' ? line.value < target.limit : line.value <= target.limit;
    return { target, status: met ? 'met' : 'missed', value: line.value };
  });
}

/** A figure line of the bench's stdout, or undefined for anything else. */
export function parseBenchLine(text: string): BenchLine | undefined {
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const line = parsed as Record<string, unknown>;
  const ok = typeof line.bench === 'string' && typeof line.value === 'number' && Number.isFinite(line.value) && typeof line.unit === 'string';
  return ok ? (line as BenchLine) : undefined;
}
