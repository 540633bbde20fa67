/**
 * Records/s of toEcs (plus the document id and serialization the worker adds) on one core over
 * the realistic mix. Prints one JSON line: {"bench":"transform","value":N,"unit":"records/s",...}.
 */
import { documentId, toEcs } from '../server/src/transform/index.js';
import { recordMix } from './record-mix.js';

const COUNT = Number(process.env.BENCH_TRANSFORM_RECORDS ?? 200_000);
const lines = recordMix(COUNT);
const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
const meta = { receivedAt: new Date().toISOString(), namespace: 'default' };

/** Seconds for one pass; `full` adds what the worker does per record besides toEcs. */
function run(full: boolean): number {
  const started = process.hrtime.bigint();
  let out = 0;
  for (const line of lines) {
    const doc = toEcs(line, meta);
    out += full ? JSON.stringify(doc).length + documentId(line).length : doc.event === undefined ? 0 : 1;
  }
  if (out === 0) throw new Error('nothing produced');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

run(true); // warm-up: JIT and the user-agent cache
const seconds = Math.min(run(false), run(false), run(false));
const fullSeconds = Math.min(run(true), run(true), run(true));
console.log(JSON.stringify({
  bench: 'transform', value: Math.round(COUNT / seconds), unit: 'records/s', records: COUNT,
  mb_per_s: Math.round(bytes / seconds / 1e6),
  with_id_and_json_records_per_s: Math.round(COUNT / fullSeconds),
}));
