/**
 * What `make bench` measures: each figure is one program run in its own process (bench/run.ts),
 * and the derived figures are ratios of two of them, computed from their medians (and per run,
 * where the runs pair up). Pairs that are compared run back to back, so they see the same load.
 */
import type { BenchLine } from './targets.js';

export const FILE_LINES = process.env.BENCH_FILE_LINES ?? '300000';
/** Lines for the two figures on the 7.10.2 node (its pipeline makes Elastic's side slow here). */
export const ORACLE_LINES = process.env.BENCH_ORACLE_LINES ?? '100000';

const EMULATOR = "the tests' Elasticsearch emulator: the shippers' own ceiling, not a real Elasticsearch";
const CURRENT = 'a real Elasticsearch 8.19.21 (test/support/elasticsearch-node.ts)';
const ORACLE = "a real Elasticsearch 7.10.2 with Elastic's ingest modules: the only node here that can run Elastic's pipeline";

export interface Figure {
  name: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  /** The bench names the program prints → the names we report them under. */
  produces: Record<string, string>;
  /** Where its documents go, added to each of its lines as `destination`. */
  destination?: string;
}

export const FIGURES: Figure[] = [
  { name: 'transform', script: 'bench/transform.ts', produces: { transform: 'transform' } },
  {
    name: 'es_emulator_ceiling', script: 'test/es-emulator/ceiling.ts', args: ['--seconds', process.env.BENCH_CEILING_SECONDS ?? '5'],
    produces: { es_emulator_ceiling: 'es_emulator_ceiling' }, destination: EMULATOR,
  },
  {
    // The same for what rsyslog posts (parsed legacy lines, dynamic mapping): is rsyslog's figure below it?
    name: 'es_emulator_ceiling_legacy', script: 'test/es-emulator/ceiling.ts', args: ['--seconds', process.env.BENCH_CEILING_SECONDS ?? '5', '--documents', 'legacy'],
    produces: { es_emulator_ceiling_legacy: 'es_emulator_ceiling_legacy' }, destination: EMULATOR,
  },
  {
    name: 'end_to_end', script: 'bench/end-to-end.ts', env: { BENCH_E2E_WORKER_PROCESSES: '0' },
    produces: { end_to_end: 'end_to_end', memory: 'memory' }, destination: EMULATOR,
  },
  {
    // Scale-out: one ROLE=api process taking the POSTs, two ROLE=worker processes indexing.
    name: 'end_to_end_2_workers', script: 'bench/end-to-end.ts', env: { BENCH_E2E_WORKER_PROCESSES: '2' },
    produces: { end_to_end: 'end_to_end_2_workers', memory: 'memory_2_workers' }, destination: EMULATOR,
  },
  // tail and rsyslog back to back: the ratio of the two should see the same machine load.
  { name: 'tail', script: 'bench/tail.ts', env: { BENCH_TAIL_LINES: FILE_LINES }, produces: { tail: 'tail' }, destination: EMULATOR },
  { name: 'rsyslog', script: 'bench/rsyslog.ts', env: { BENCH_RSYSLOG_LINES: FILE_LINES }, produces: { rsyslog: 'rsyslog' }, destination: EMULATOR },
  // Into real nodes. tail_es and es_ceiling back to back (es_ceiling_share), then rsyslog's bare parsing.
  {
    name: 'tail_es', script: 'bench/tail-es.ts', env: { BENCH_TAIL_LINES: FILE_LINES },
    produces: { tail_es: 'tail_es', forwarder_cpu_us_per_record: 'forwarder_cpu_us_per_record' }, destination: CURRENT,
  },
  { name: 'es_ceiling', script: 'bench/es-ceiling.ts', env: { BENCH_TAIL_LINES: FILE_LINES }, produces: { es_ceiling: 'es_ceiling' }, destination: CURRENT },
  { name: 'rsyslog_es', script: 'bench/rsyslog-es.ts', env: { BENCH_RSYSLOG_LINES: FILE_LINES }, produces: { rsyslog_es: 'rsyslog_es' }, destination: CURRENT },
  // Ours and Elastic's way on the same 7.10.2 node, back to back (elastic_pipeline_ratio).
  {
    name: 'tail_es_oracle', script: 'bench/tail-es.ts', args: ['--node', 'oracle'], env: { BENCH_ORACLE_LINES: ORACLE_LINES },
    produces: { tail_es_oracle: 'tail_es_oracle' }, destination: ORACLE,
  },
  {
    name: 'elastic_pipeline', script: 'bench/rsyslog-es.ts', args: ['--pipeline'], env: { BENCH_ORACLE_LINES: ORACLE_LINES },
    produces: { elastic_pipeline: 'elastic_pipeline' }, destination: ORACLE,
  },
];

interface Derived {
  bench: string;
  /** numerator / denominator, both figures' names. */
  of: [string, string];
  note: string;
}

export const DERIVED: readonly Derived[] = [
  { bench: 'rsyslog_ratio', of: ['tail', 'rsyslog'], note: 'tail / rsyslog, the same backlog file into the emulator (no target since issue 14)' },
  { bench: 'es_ceiling_share', of: ['tail_es', 'es_ceiling'], note: "tail_es / es_ceiling: how much of the node's own limit for our documents one forwarder reaches" },
  {
    bench: 'elastic_pipeline_ratio', of: ['tail_es_oracle', 'elastic_pipeline'],
    note: "tail_es_oracle / elastic_pipeline, both on the 7.10.2 node: no newer node here can run Elastic's pipeline",
  },
];

export interface DerivedResult {
  bench: string;
  line?: BenchLine;
  note: string;
}

/**
 * Each derived figure whose two figures ran: from their medians, with per-run ratios when the
 * runs paired up; a note saying what was missing when only one of them ran.
 */
export function deriveFigures(summaries: ReadonlyMap<string, BenchLine>, results: ReadonlyMap<string, BenchLine[]>, ran: (bench: string) => boolean, runs: number): DerivedResult[] {
  const out: DerivedResult[] = [];
  for (const { bench, of: [top, bottom], note } of DERIVED) {
    const a = summaries.get(top);
    const b = summaries.get(bottom);
    if (!a || !b) {
      if (ran(top) && ran(bottom)) out.push({ bench, note: `skipped: needs both ${top} and ${bottom} (${a ? bottom : top} missing)` });
      continue;
    }
    const paired = (results.get(top) ?? []).flatMap((t) => {
      const peer = (results.get(bottom) ?? []).find((r) => r.run === t.run);
      return peer ? [Number((t.value / peer.value).toFixed(3))] : [];
    });
    const line: BenchLine = {
      bench, value: Number((a.value / b.value).toFixed(3)), unit: 'ratio', [top]: a.value, [`${top}_unit`]: a.unit, [bottom]: b.value, [`${bottom}_unit`]: b.unit,
      what: note, ...(runs > 1 ? { runs: paired } : {}),
    };
    out.push({ bench, line, note });
  }
  return out;
}
