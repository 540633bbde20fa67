/**
 * A transform thread of the TransformPool: batches in, documents out (toSinkDocuments), so
 * toEcs and the JSON serialization run beside the main thread's reading, Redis and HTTP work.
 * It opens the GeoIP databases itself: a lookup function cannot cross threads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openGeoLookup, type GeoDatabases } from '../transform/index.js';
import { toSinkDocuments } from './sink-documents.js';
import type { ThreadReply, ThreadRequest } from './transform-pool.js';

const port = parentPort;
if (!port) throw new Error('transform-thread.ts runs as a worker thread of TransformPool');
const geo = openGeoLookup((workerData as { geo: GeoDatabases }).geo);

port.on('message', (request: ThreadRequest) => {
  geo.then(
    (lookup) => {
      const documents = toSinkDocuments(request.batch, { ...request.meta, geo: lookup });
      port.postMessage({ id: request.id, documents } satisfies ThreadReply);
    },
  ).catch((error: unknown) => {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ThreadReply);
  });
});
