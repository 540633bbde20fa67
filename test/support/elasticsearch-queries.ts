/** What a real node holds, asked of the node itself: counts, exact distinct values, mappings. */
import { setTimeout as sleep } from 'node:timers/promises';
import { fieldTypes } from '../../server/src/sinks/data-stream-check.js';
import type { ElasticsearchNode } from './elasticsearch-node.js';

/**
 * Documents matching the query (all when omitted), after a refresh; 0 when the target does not
 * exist yet. A shard still starting (just created, or recovering after a restart) answers 503: asked again.
 */
export async function countOf(node: ElasticsearchNode, target: string, query?: unknown): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    await node.request('POST', `/${target}/_refresh?ignore_unavailable=true`);
    const answer = await node.request('POST', `/${target}/_count?ignore_unavailable=true`, query ? { query } : undefined);
    if (answer.status === 404) return 0;
    if (answer.status === 200) return answer.body.count as number;
    if (answer.status !== 503 || attempt >= 60) throw new Error(`_count ${target}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    await sleep(500);
  }
}

export interface Tally {
  /** Documents matching. */
  count: number;
  /** Distinct values of the field among them, counted exactly (a composite aggregation, page by page). */
  distinct: number;
  /** Values found in more than one document. */
  duplicates: string[];
}

export async function tallyOf(node: ElasticsearchNode, target: string, field: string, query?: unknown): Promise<Tally> {
  const count = await countOf(node, target, query);
  let distinct = 0;
  const duplicates: string[] = [];
  let after: unknown;
  for (;;) {
    const answer = await node.request('POST', `/${target}/_search?ignore_unavailable=true`, {
      size: 0,
      ...(query ? { query } : {}),
      aggs: { values: { composite: { size: 5000, sources: [{ value: { terms: { field } } }], ...(after ? { after } : {}) } } },
    });
    if (answer.status !== 200) throw new Error(`_search ${target}: HTTP ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    const values = answer.body.aggregations?.values as { buckets: Array<{ key: { value: string }; doc_count: number }>; after_key?: unknown } | undefined;
    if (!values || values.buckets.length === 0) break;
    distinct += values.buckets.length;
    for (const bucket of values.buckets) if (bucket.doc_count > 1) duplicates.push(String(bucket.key.value));
    after = values.after_key;
  }
  return { count, distinct, duplicates };
}

/** `{prefix: {user.id: "<tag>-"}}`: the records of one test (support/audit-records.ts tags them so). */
export function taggedUsers(tag: string): unknown {
  return { prefix: { 'user.id': `${tag}-` } };
}

/** Dotted field → mapper type, as the node reports the mapping of the index (a data stream's write index). */
export async function mappingOf(node: ElasticsearchNode, index: string): Promise<Map<string, string>> {
  const answer = await node.request('GET', `/${index}/_mapping`);
  if (answer.status !== 200) throw new Error(`_mapping ${index}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  const indices = Object.keys(answer.body).sort();
  return fieldTypes(answer.body[indices.at(-1)!].mappings.properties);
}
