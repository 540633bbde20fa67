/**
 * What the emulator's own tests share: one emulator and a real @elastic/elasticsearch client per
 * test file (what the product uses), a test template, and plain HTTP where the client would hide the wire.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, beforeEach } from 'node:test';
import { Client, errors } from '@elastic/elasticsearch';
import { startEsEmulator, type EsEmulator } from '../es-emulator/index.js';

export const DATA_STREAM = 'logs-mattermost.audit-default';
export const TEMPLATE_NAME = 'mattermost-audit-test';
export const TEMPLATE = {
  index_patterns: ['logs-mattermost.audit-*'],
  priority: 250,
  data_stream: {},
  _meta: { managed_by: 'es-emulator tests' },
  template: {
    settings: { 'index.mapping.total_fields.limit': 2000 },
    mappings: {
      dynamic: true,
      dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }],
      properties: {
        '@timestamp': { type: 'date' },
        data_stream: {
          properties: { type: { type: 'constant_keyword', value: 'logs' }, dataset: { type: 'constant_keyword' }, namespace: { type: 'constant_keyword' } },
        },
        source: { properties: { ip: { type: 'ip' }, port: { type: 'long' } } },
        user: { properties: { id: { type: 'keyword' }, roles: { type: 'keyword' } } },
        event: { properties: { action: { type: 'keyword' }, sequence: { type: 'long' } } },
        mattermost: { properties: { audit: { properties: { team: { properties: { id: { type: 'keyword' } } }, parameters: { type: 'flattened' } } } } },
        strict_part: { dynamic: 'strict', properties: { known: { type: 'keyword' } } },
        loose_part: { dynamic: false, properties: {} },
      },
    },
  },
};

// Live bindings: a test file reads them after useEsEmulator's before hook has set them.
export let es: EsEmulator;
export let client: Client;

/** One emulator and client for the calling test file, reset before each test. */
export function useEsEmulator(): void {
  before(async () => {
    es = await startEsEmulator();
    client = new Client({ node: es.url, maxRetries: 0, requestTimeout: 5000 });
  });
  beforeEach(() => es.reset());
  after(async () => {
    await client.close();
    await es.close();
  });
}

export function doc(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@timestamp': '2024-05-01T10:00:00.000Z', user: { id: `u${n}` }, event: { action: 'login', sequence: n }, ...extra };
}

export async function putTemplate(): Promise<void> {
  await client.indices.putIndexTemplate({ name: TEMPLATE_NAME, ...TEMPLATE } as Parameters<Client['indices']['putIndexTemplate']>[0]);
}

export type Item = { status: number; _index?: string; _id?: string; result?: string; error?: { type: string; reason: string } };

/** Bulk-creates the documents under the given ids and answers the per-item results. */
export async function create(docs: Array<[string, Record<string, unknown>]>, index = DATA_STREAM): Promise<{ errors: boolean; items: Item[] }> {
  const response = await client.bulk({ operations: docs.flatMap(([id, source]) => [{ create: { _index: index, _id: id } }, source]) });
  return { errors: response.errors, items: response.items.map((item) => Object.values(item)[0] as Item) };
}

export interface RawResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }

/** A plain HTTP request, for what the client would hide or refuse to send. */
export function raw(method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${es.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function ndjson(lines: unknown[]): string {
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}

export async function rejection(promise: Promise<unknown>): Promise<errors.ResponseError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof errors.ResponseError, `expected a ResponseError, got ${String(error)}`);
  return error;
}
