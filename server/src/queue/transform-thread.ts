/**
 * A transform thread of the TransformPool: batches in, documents out (toDocumentBatch), so toEcs,
 * the JSON serialization and its encoding run beside the main thread's reading, Redis and HTTP
 * work. The bytes are transferred, not copied.
 * It opens the GeoIP databases itself (a lookup function cannot cross threads), and has its own
 * enricher when enrichment is on: its lookups and cache live here, its reports go to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEnricher } from '../enrich/index.js';
import { SpareBuffers, type DocumentBatch } from '../sinks/document-batch.js';
import { openGeoLookup, type GeoLookup } from '../transform/index.js';
import { toDocumentBatch, toEnrichedDocumentBatch } from './to-document-batch.js';
import type { ThreadData, ThreadEnrichmentReport, ThreadReply, ThreadRequest, ThreadSpare } from './transform-pool.js';

/** Batches an enriching thread works on at once (the others wait their turn, as raw records). */
const BATCHES_UNDER_WAY = 4;
/**
 * Buffers of sent batches kept for the next ones: more than a busy forwarder has under way at once
 * (the file input's 4 reads of 1 MB make about 12 batches), at most some 25 MB of batches of 1,000
 * legacy lines, held when the forwarder has been busy.
 */
const SPARE_BUFFERS = 16;

const port = parentPort;
if (!port) throw new Error('transform-thread.ts runs as a worker thread of TransformPool');
const data = workerData as ThreadData;
const geo = openGeoLookup(data.geo);
const enricher = data.enrich && createEnricher(data.enrich, (enrichment) => port.postMessage({ enrichment } satisfies ThreadEnrichmentReport));
const spares = new SpareBuffers(SPARE_BUFFERS);

type Work = (lookup: GeoLookup | undefined) => DocumentBatch | Promise<DocumentBatch>;

/** Transforms one batch and posts its documents (or the error) back. */
const reply = (request: ThreadRequest, work: Work): Promise<void> =>
  geo.then(async (lookup) => {
    const documents = await work(lookup);
    port.postMessage({ id: request.id, documents } satisfies ThreadReply, [documents.bytes.buffer as ArrayBuffer, documents.offsets.buffer as ArrayBuffer]);
  }).catch((error: unknown) => {
    port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies ThreadReply);
  });

/** Takes a sent batch's buffer back; true for such a message. */
const tookSpare = (message: ThreadRequest | ThreadSpare): message is ThreadSpare => {
  if (!('spare' in message)) return false;
  spares.give(message.spare);
  return true;
};

if (!enricher) {
  port.on('message', (request: ThreadRequest | ThreadSpare) => {
    if (tookSpare(request)) return;
    void reply(request, (lookup) => toDocumentBatch(request.batch, { ...request.meta, geo: lookup }, spares));
  });
} else {
  // A port drains every message it holds before the thread sees its sockets again: under a backlog
  // the answers of Mattermost would never be read. So while requests are under way, batches start
  // one per event-loop turn, a few at a time, and the answers come in between; otherwise (the steady
  // state, every id cached) a batch is transformed as it arrives, as without enrichment.
  const queued: ThreadRequest[] = [];
  let underWay = 0;
  let scheduled = false;
  const start = (request: ThreadRequest) => {
    underWay++;
    void reply(request, (lookup) => toEnrichedDocumentBatch(request.batch, { ...request.meta, geo: lookup }, enricher, spares)).finally(() => {
      underWay--;
      schedule();
    });
  };
  const schedule = () => {
    if (scheduled || queued.length === 0 || underWay >= BATCHES_UNDER_WAY) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const request = queued.shift();
      if (request) start(request);
      schedule();
    });
  };
  port.on('message', (request: ThreadRequest | ThreadSpare) => {
    if (tookSpare(request)) return;
    if (queued.length === 0 && underWay === 0 && !enricher.asking()) start(request);
    else {
      queued.push(request);
      schedule();
    }
  });
}
