/**
 * A transform thread of the TransformPool: batches in, documents out (toDocumentBatch), so toEcs,
 * the JSON serialization and its encoding run beside the main thread's reading, Redis and HTTP
 * work. The bytes are transferred, not copied.
 * It opens the GeoIP databases itself: a lookup function cannot cross threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openGeoLookup, type GeoDatabases } from '../transform/index.js';
import { toDocumentBatch } from './to-document-batch.js';
import type { ThreadReply, ThreadRequest } from './transform-pool.js';

const port = parentPort;
if (!port) throw new Error('transform-thread.ts runs as a worker thread of TransformPool');
const geo = openGeoLookup((workerData as { geo: GeoDatabases }).geo);

port.on('message', (request: ThreadRequest) => {
  geo.then(
    (lookup) => {
      const documents = toDocumentBatch(request.batch, { ...request.meta, geo: lookup });
      port.postMessage({ id: request.id, documents } satisfies ThreadReply, [documents.bytes.buffer as ArrayBuffer, documents.offsets.buffer as ArrayBuffer]);
    },
  ).catch((error: unknown) => {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ThreadReply);
  });
});
