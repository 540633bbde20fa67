/**
 * An HTTP proxy that lets the forwarder's Elasticsearch 8 client talk to the 7.10.2 node, the only
 * node here that can run Elastic's ingest pipeline. The client cannot reach a 7.10 node by itself:
 * it sends `application/vnd.elasticsearch+json; compatible-with=8` (7.10 answers 406 "Content-Type
 * header [...] is not supported"), and it refuses any answer without `x-elastic-product:
 * Elasticsearch` (a header Elasticsearch sends since 7.14). The proxy rewrites those two headers.
 * And 7.10's Apache-2.0 distribution has no data streams (x-pack's in 7.x): an index template with
 * `data_stream` is refused ("unknown field [data_stream]"), so the proxy takes `data_stream` (and a
 * lifecycle) out of the forwarder's template: its bulk `create`s then fill a plain index named
 * like the data stream, under the same mappings. Every other body streams through untouched. Its
 * CPU time (this process's) is reported beside the figure: work the forwarder would not need
 * against a current node.
 */
import { once } from 'node:events';
import { Agent, createServer, request, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';

export interface Es7CompatProxy {
  url: string;
  /** The forwarder's bulk requests: how many, and the most at once (its concurrency, as the node saw it). */
  bulkStats(): { requests: number; peakInFlight: number };
  close(): Promise<void>;
}

/** `application/vnd.elasticsearch+x-ndjson; compatible-with=8` → `application/x-ndjson`. */
function plainMediaType(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  return text.replace(/application\/vnd\.elasticsearch\+([\w-]+)\s*;\s*compatible-with=\d+/g, 'application/$1');
}

/** The template as a 7.10 without x-pack takes it: no `data_stream`, no `lifecycle`. */
async function sendWithoutDataStream(incoming: IncomingMessage, outgoing: ClientRequest): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const template = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data_stream?: unknown; template?: { lifecycle?: unknown } };
  delete template.data_stream;
  delete template.template?.lifecycle;
  const body = JSON.stringify(template);
  outgoing.setHeader('content-length', Buffer.byteLength(body));
  outgoing.end(body);
}

export async function startEs7CompatProxy(target: string): Promise<Es7CompatProxy> {
  const upstream = new URL(target);
  // Kept-alive connections, as many as the forwarder opens: the proxy adds no connection set-up.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const bulk = { requests: 0, inFlight: 0, peakInFlight: 0 };
  const server: Server = createServer((incoming, answer) => {
    if (incoming.url?.startsWith('/_bulk')) {
      bulk.requests++;
      bulk.peakInFlight = Math.max(bulk.peakInFlight, ++bulk.inFlight);
      answer.once('close', () => bulk.inFlight--);
    }
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
    headers['content-type'] = plainMediaType(headers['content-type']);
    headers.accept = plainMediaType(headers.accept);
    if (headers['content-type'] === undefined) delete headers['content-type'];
    if (headers.accept === undefined) delete headers.accept;
    const outgoing = request({ agent, host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers }, (reply) => {
      answer.writeHead(reply.statusCode ?? 502, { ...reply.headers, 'x-elastic-product': 'Elasticsearch' });
      reply.pipe(answer);
    });
    outgoing.on('error', (error) => {
      if (!answer.headersSent) answer.writeHead(502, { 'content-type': 'text/plain' });
      answer.end(`es7 compatibility proxy: ${error.message}`);
    });
    if (incoming.method === 'PUT' && /^\/_index_template\//.test(incoming.url ?? '')) void sendWithoutDataStream(incoming, outgoing);
    else incoming.pipe(outgoing);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    bulkStats: () => ({ requests: bulk.requests, peakInFlight: bulk.peakInFlight }),
    async close() {
      server.closeAllConnections();
      server.close();
      agent.destroy();
    },
  };
}
