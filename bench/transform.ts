/**
 * Records/s of toEcs (plus the document id and serialization the worker adds) on one core over
 * the realistic mix. Prints one JSON line: {"bench":"transform","value":N,"unit":"records/s",...}.
 * BENCH_ENRICH=1 adds the same full path with enrichment, batches of 1000 named from a warm cache
 * (what a batch costs once its ids are known: the lookups themselves are network waits).
 */
import { MattermostEnricher } from '../server/src/enrich/mattermost-enricher.js';
import { documentId, toEcs } from '../server/src/transform/index.js';
import { BENCH_ENRICH, startMattermostStandIn } from './mattermost-stand-in.js';
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

/** The full path with an enricher between toEcs and the JSON, a batch of 1000 at a time. */
async function runEnriched(enricher: MattermostEnricher): Promise<number> {
  const started = process.hrtime.bigint();
  let out = 0;
  for (let from = 0; from < lines.length; from += 1000) {
    const batch = lines.slice(from, from + 1000);
    const docs = batch.map((line) => toEcs(line, meta));
    await enricher.enrich(docs);
    docs.forEach((doc, i) => { out += JSON.stringify(doc).length + documentId(batch[i]!).length; });
  }
  if (out === 0) throw new Error('nothing produced');
  return Number(process.hrtime.bigint() - started) / 1e9;
}

run(true); // warm-up: JIT and the user-agent cache
const seconds = Math.min(run(false), run(false), run(false));
const fullSeconds = Math.min(run(true), run(true), run(true));
let enriched: Record<string, number> = {};
if (BENCH_ENRICH) {
  const mattermost = await startMattermostStandIn();
  const enricher = new MattermostEnricher({
    url: mattermost.directory.url, token: mattermost.token, includeEmail: false, maxWaitMs: 2000, cacheTtlMs: 3_600_000, missTtlMs: 3_600_000,
  }, () => undefined);
  await runEnriched(enricher); // warm-up: fills the cache
  const enrichedSeconds = Math.min(await runEnriched(enricher), await runEnriched(enricher), await runEnriched(enricher));
  enriched = {
    with_enrichment_records_per_s: Math.round(COUNT / enrichedSeconds),
    enrichment_us_per_record: Number((((enrichedSeconds - fullSeconds) / COUNT) * 1e6).toFixed(2)),
    mattermost_requests: mattermost.directory.requests().length,
  };
  enricher.close();
  await mattermost.directory.close();
}
console.log(JSON.stringify({
  bench: 'transform', value: Math.round(COUNT / seconds), unit: 'records/s', records: COUNT,
  mb_per_s: Math.round(bytes / seconds / 1e6),
  with_id_and_json_records_per_s: Math.round(COUNT / fullSeconds),
  ...enriched,
}));
