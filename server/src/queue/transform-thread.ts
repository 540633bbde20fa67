/**
 * A transform thread of the TransformPool: batches in, documents out (toDocumentBatch), so toEcs,
 * the JSON serialization and its encoding run beside the main thread's reading, Redis and HTTP
 * work. The bytes are transferred, not copied.
 * It opens the GeoIP databases itself (a lookup function cannot cross threads), and has its own
 * enricher when enrichment is on: its lookups and cache live here, its reports go to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEnricher } from '../enrich/index.js';
import { openGeoLookup } from '../transform/index.js';
import { toDocumentBatch, toEnrichedDocumentBatch } from './to-document-batch.js';
import type { ThreadData, ThreadEnrichmentReport, ThreadReply, ThreadRequest } from './transform-pool.js';

const port = parentPort;
if (!port) throw new Error('transform-thread.ts runs as a worker thread of TransformPool');
const data = workerData as ThreadData;
const geo = openGeoLookup(data.geo);
const enricher = data.enrich && createEnricher(data.enrich, (enrichment) => port.postMessage({ enrichment } satisfies ThreadEnrichmentReport));

port.on('message', (request: ThreadRequest) => {
  geo.then(
    async (lookup) => {
      const meta = { ...request.meta, geo: lookup };
      const documents = enricher ? await toEnrichedDocumentBatch(request.batch, meta, enricher) : toDocumentBatch(request.batch, meta);
      port.postMessage({ id: request.id, documents } satisfies ThreadReply, [documents.bytes.buffer as ArrayBuffer, documents.offsets.buffer as ArrayBuffer]);
    },
  ).catch((error: unknown) => {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ThreadReply);
  });
});
