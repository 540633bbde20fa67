/**
 * An Elasticsearch emulator for tests: an in-process HTTP server speaking the part of the ES 8.x/9.x
 * REST protocol our forwarder uses (`GET /`, cluster health, index templates, data streams, `_bulk`
 * with per-item statuses, `_count`, `_search`, `_refresh`), with a mapping check and fault injection.
 *
 * It is a stand-in for tests, never an Elasticsearch: no analysis, no scoring, no shards, no dynamic
 * mapping learnt from documents, no built-in templates (`logs-*-*` makes a plain index here unless
 * a test PUTs a template), and a query DSL reduced to what the tests need. Passing against it shows
 * the client side is right about the protocol it emulates, nothing more.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { authorizer } from './auth.js';
import { EmulatedCluster } from './cluster.js';
import { checkCompatibility } from './compatibility.js';
import type { EsEmulator, EsEmulatorOptions, FaultPlan, StoredDoc } from './contract.js';
import { badRequest, cause, errorBody, EsError, NO_BODY } from './es-errors.js';
import { applyFilterPath } from './filter-path.js';
import { createRouter } from './routes.js';

export type { EmulatorStats, EsEmulator, EsEmulatorOptions, FaultPlan, StoredDoc } from './contract.js';

/** ES's default http.max_content_length. */
const DEFAULT_MAX_CONTENT_LENGTH = 100 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);

interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string | string[]>;
}

export async function startEsEmulator(options: EsEmulatorOptions = {}): Promise<EsEmulator> {
  const cluster = new EmulatedCluster(options.version ?? '8.15.0', options.flavor ?? 'default');
  const maxContentLength = options.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
  let plan: FaultPlan = {};
  const route = createRouter(cluster, () => plan);
  const authorize = authorizer(options.auth);
  const pendingReplies = new Set<NodeJS.Timeout>();

  async function answer(request: IncomingMessage): Promise<Reply> {
    try {
      const body = await readBody(request, maxContentLength);
      const uri = request.url ?? '/';
      authorize(request.headers.authorization, uri);
      checkCompatibility(request.headers, cluster.versionParts[0]);
      const url = new URL(uri, 'http://emulator');
      if (plan.forbiddenPaths?.some((path) => url.pathname.startsWith(path))) {
        throw new EsError(403, cause('security_exception', `action [${url.pathname}] is unauthorized for user [emulated] with effective roles [writer]`));
      }
      const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeSegment);
      const reply = route({ method: request.method ?? 'GET', segments, params: url.searchParams, body });
      const filter = url.searchParams.get('filter_path');
      return { status: reply.status, body: filter ? applyFilterPath(reply.body, filter) : reply.body, headers: {} };
    } catch (error) {
      if (error instanceof EsError) return { status: error.status, body: error.body ?? errorBody(error.status, error.detail), headers: error.headers };
      const message = error instanceof Error ? error.stack ?? error.message : String(error);
      return { status: 500, body: errorBody(500, cause('exception', `emulator failure: ${message}`)), headers: {} };
    }
  }

  function send(response: ServerResponse, reply: Reply, head: boolean, delayMs: number): void {
    const payload = reply.body === NO_BODY ? '' : JSON.stringify(reply.body);
    const write = (): void => {
      if (response.destroyed) return;
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        'x-elastic-product': 'Elasticsearch',
        'content-length': Buffer.byteLength(payload),
        ...reply.headers,
      });
      response.end(head ? undefined : payload);
    };
    if (delayMs <= 0) return write();
    const timer = setTimeout(() => {
      pendingReplies.delete(timer);
      write();
    }, delayMs);
    pendingReplies.add(timer);
  }

  const server = createServer({ keepAliveTimeout: 120_000, requestTimeout: 0 }, (request, response) => {
    const current = plan;
    if (current.down) {
      // A reset, not an error answer: the client must see a connection failure, as with ES down.
      request.socket.resetAndDestroy();
      return;
    }
    void answer(request).then((reply) => send(response, reply, request.method === 'HEAD', current.delayMs ?? 0));
  });
  // The client keeps connections alive; closing them first would race its next request into ECONNRESET.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const plain = ({ _id, _index, _source }: StoredDoc): StoredDoc => ({ _id, _index, _source });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFault(next) {
      plan = { ...next };
    },
    documents(target) {
      return cluster.resolve(target, false).flatMap((t) => [...t.docs.values()].map(plain));
    },
    count(target) {
      return cluster.resolve(target, false).reduce((sum, t) => sum + t.docs.size, 0);
    },
    stats() {
      return { ...cluster.stats, pipelines: [...cluster.stats.pipelines] };
    },
    templates() {
      return Object.fromEntries(cluster.templates);
    },
    dataStreams() {
      return cluster.dataStreams().map((t) => t.name);
    },
    reset() {
      cluster.reset();
      plan = {};
    },
    async close() {
      for (const timer of pendingReplies) clearTimeout(timer);
      pendingReplies.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function readBody(request: IncomingMessage, maxContentLength: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    // Read to the end, as Elasticsearch does, so that the client gets the answer, not a reset.
    if (size > maxContentLength) tooLong = true;
    else chunks.push(buffer);
  }
  // Elasticsearch answers a bare 413: no body, not even its error JSON.
  if (tooLong) throw new EsError(413, cause('content_too_long_exception', `more than ${maxContentLength} bytes`), {}, NO_BODY);
  const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const encoding = request.headers['content-encoding']?.toLowerCase().trim();
  if (!encoding || encoding === 'identity' || raw.length === 0) return raw;
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzipAsync(raw);
    if (encoding === 'deflate') return await inflateAsync(raw);
  } catch (error) {
    throw badRequest('illegal_argument_exception', `cannot decode the ${encoding} body: ${(error as Error).message}`);
  }
  throw badRequest('illegal_argument_exception', `unsupported content-encoding [${encoding}]`);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('illegal_argument_exception', `cannot decode the path segment [${segment}]`);
  }
}
