/**
 * The enricher against a Mattermost directory emulator over real HTTP: what one batch asks, what
 * the cache saves, how failures and slowness bound a batch, and that the names it writes are
 * mapped by the index template.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { EnrichmentReport, EnrichSettings } from '../server/src/enrich/index.js';
import { addReport, emptyReport } from '../server/src/enrich/index.js';
import { MattermostEnricher } from '../server/src/enrich/mattermost-enricher.js';
import { toDocumentBatch, toEnrichedDocumentBatch } from '../server/src/queue/to-document-batch.js';
import { toEcs } from '../server/src/transform/index.js';
import { mattermostId, startMattermostDirectoryEmulator, type MattermostDirectoryEmulator } from './mattermost-emulator/directory.js';
import {
  CHANNELS, legacyFailedLogin, legacyPost, modernChannelDeletion, modernRoleChange, namedRecordMix, populate, restChannelMemberRemoval, TEAMS, USERS,
} from './support/named-records.js';
import { flatten } from './support/parity.js';
import { isMapped } from './support/template-coverage.js';

const TOKEN = 'mm-enrich-token-0123456789';
let mattermost: MattermostDirectoryEmulator;
const enrichers: MattermostEnricher[] = [];

before(async () => {
  mattermost = await startMattermostDirectoryEmulator({ token: TOKEN });
  populate(mattermost);
});

beforeEach(() => {
  mattermost.answerAll(undefined);
  mattermost.delay(0);
});

after(async () => {
  for (const enricher of enrichers) enricher.close();
  await mattermost.close();
});

function enricher(overrides: Partial<EnrichSettings> = {}): { enricher: MattermostEnricher; report: EnrichmentReport } {
  const report = emptyReport();
  const created = new MattermostEnricher({
    url: mattermost.url, token: TOKEN, includeEmail: false, maxWaitMs: 2000, cacheTtlMs: 60_000, missTtlMs: 60_000, ...overrides,
  }, (delta) => addReport(report, delta));
  enrichers.push(created);
  return { enricher: created, report };
}

const docsOf = (lines: string[]) => lines.map((line) => toEcs(line) as any);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The requests made while `work` runs. */
async function requestsDuring(work: () => Promise<unknown>) {
  const before = mattermost.requests().length;
  await work();
  return mattermost.requests().slice(before);
}

test('one batch asks one POST for its users, one GET per team and channel, then the teams of its channels', async () => {
  const { enricher: names } = enricher();
  const docs = docsOf([restChannelMemberRemoval(0, 1, 0), restChannelMemberRemoval(2, 3, 1), modernRoleChange(4, 5)]);
  const requests = await requestsDuring(() => names.enrich(docs));
  assert.deepEqual(requests.filter((r) => r.method === 'POST').map((r) => [r.path, new Set(r.body as string[])]), [
    ['/api/v4/users/ids', new Set(USERS.slice(0, 6).map((u) => u.id))],
  ]);
  assert.deepEqual(requests.filter((r) => r.method === 'GET').map((r) => r.path).sort(), [
    `/api/v4/channels/${CHANNELS[0]!.id}`, `/api/v4/channels/${CHANNELS[1]!.id}`, `/api/v4/teams/${TEAMS[0]!.id}`, `/api/v4/teams/${TEAMS[1]!.id}`,
  ].sort());
  assert.equal(docs[1].mattermost.audit.channel.name, 'incidents');
  assert.equal(docs[1].mattermost.audit.team.name, 'ops');
  assert.deepEqual(docs[1].mattermost.audit.related.team, [TEAMS[1]!.id]);
  assert.equal(docs[2].user.target.name, 'user05');
});

test('asks nothing for what the record names itself, and overwrites nothing', async () => {
  const { enricher: names } = enricher();
  const line = JSON.stringify({
    timestamp: '2021-12-04 23:19:32.051 Z', event: 'patchTeam', status: 'success', user_id: USERS[0]!.id,
    user: { id: USERS[1]!.id, name: 'old-name' }, team: { id: TEAMS[0]!.id, name: 'kept' },
  });
  const [doc] = docsOf([line]);
  const requests = await requestsDuring(() => names.enrich([doc]));
  assert.deepEqual(requests.map((r) => [r.path, r.body]), [['/api/v4/users/ids', [USERS[0]!.id]]]);
  assert.equal(doc.user.target.name, 'old-name');
  assert.equal(doc.mattermost.audit.team.name, 'kept');
  assert.equal(doc.user.name, 'user00');
});

test("names a legacy failed login's login name by username, lower-cased as Mattermost keeps them", async () => {
  const { enricher: names } = enricher();
  const docs = docsOf([legacyFailedLogin('User03'), legacyFailedLogin('nobody'), legacyFailedLogin('user03@example.com')]);
  const requests = await requestsDuring(() => names.enrich(docs));
  assert.deepEqual(requests.map((r) => [r.path, new Set(r.body as string[])]), [['/api/v4/users/usernames', new Set(['user03', 'nobody'])]]);
  assert.deepEqual(docs.map((d) => [d.user.id, d.user.name]), [['User03', 'user03'], ['nobody', 'nobody'], ['user03@example.com', 'user03@example.com']]);
});

test('reuses names for the cache TTL and believes a miss for the miss TTL only', async () => {
  const { enricher: names } = enricher({ cacheTtlMs: 2500, missTtlMs: 300 });
  const stranger = mattermostId('stranger');
  const batch = () => docsOf([modernRoleChange(0, 1), JSON.stringify({ timestamp: '2021-12-04 23:19:32.051 Z', event: 'getConfig', status: 'success', user_id: stranger })]);
  assert.equal((await requestsDuring(() => names.enrich(batch()))).length, 1);
  assert.equal((await requestsDuring(() => names.enrich(batch()))).length, 0, 'names and the miss come from the cache');
  await sleep(500);
  assert.deepEqual((await requestsDuring(() => names.enrich(batch()))).map((r) => r.body), [[stranger]], 'only the miss is asked again');
  await sleep(2500);
  assert.equal(((await requestsDuring(() => names.enrich(batch())))[0]!.body as string[]).length, 3, 'everything again after the TTL');
});

test('a failing Mattermost is left alone for a while: the next batches go on at once from the cache', async () => {
  const { enricher: names, report } = enricher();
  await names.enrich(docsOf([modernRoleChange(0, 1)]));
  mattermost.answerAll(500);
  const failing = await requestsDuring(() => names.enrich(docsOf([modernRoleChange(2, 3), modernChannelDeletion(2, 0)])));
  assert.ok(failing.length > 0 && failing.every((r) => r.status === 500));
  const startedAt = Date.now();
  const docs = docsOf([modernRoleChange(0, 1), modernRoleChange(6, 7)]);
  assert.deepEqual(await requestsDuring(() => names.enrich(docs)), [], 'no request during the pause');
  assert.ok(Date.now() - startedAt < 500, 'no wait during the pause');
  assert.equal(docs[0].user.name, 'user00', 'the cache still names');
  assert.equal(docs[1].user.name, undefined);
  await sleep(150);
  assert.equal(report.failures, failing.length);
  assert.match(report.lastError!, /answered 500 to/);
  assert.equal(report.documentsWithoutNames, 3);
});

test('a batch waits for a slow Mattermost at most maxWaitMs; the late answer names the batches after it', async () => {
  const { enricher: names } = enricher({ maxWaitMs: 300 });
  mattermost.delay(2000);
  const startedAt = Date.now();
  const first = docsOf([modernRoleChange(8, 9)]);
  await names.enrich(first);
  assert.ok(Date.now() - startedAt < 1500, `waited ${Date.now() - startedAt} ms`);
  assert.equal(first[0].user.name, undefined);
  const second = docsOf([modernRoleChange(8, 9)]);
  assert.deepEqual(await requestsDuring(() => names.enrich(second)), [], 'the lookup under way is not asked again');
  await sleep(2200);
  const third = docsOf([modernRoleChange(8, 9)]);
  await names.enrich(third);
  assert.equal(third[0].user.name, 'user08');
});

test('with maxWaitMs 0 a batch never waits: names come from the cache, lookups run behind', async () => {
  const { enricher: names } = enricher({ maxWaitMs: 0 });
  const first = docsOf([legacyPost(10, 2)]);
  await names.enrich(first);
  assert.equal(first[0].user.name, undefined);
  await sleep(300);
  const second = docsOf([legacyPost(10, 2)]);
  await names.enrich(second);
  assert.equal(second[0].user.name, 'user10');
  assert.equal(second[0].mattermost.audit.channel.name, 'random');
});

test('a batch keeps its order and ids when documents in its middle wait for a lookup', async () => {
  const { enricher: names } = enricher();
  await names.enrich(docsOf([modernRoleChange(0, 1)]));
  const lines = [modernRoleChange(0, 1, 1), modernRoleChange(1, 0, 2), modernRoleChange(10, 11, 3), modernRoleChange(0, 1, 4), legacyPost(0, 1, 5)];
  const batch = { records: lines.map((text, i) => ({ text, offset: i * 100 })), source: { input: 'file' as const, identity: 'order', path: '/a.log' }, receivedAt: '2024-01-01T00:00:00.000Z' };
  const requests = await requestsDuring(async () => {
    const named = await toEnrichedDocumentBatch(batch, { namespace: 'default' }, names);
    const plain = toDocumentBatch(batch, { namespace: 'default' });
    assert.deepEqual(named.ids, plain.ids);
    const docs = Buffer.from(named.bytes).toString('utf8').trim().split('\n').filter((_, i) => i % 2 === 1).map((line) => JSON.parse(line));
    assert.deepEqual(docs.map((d) => d.log.offset), [0, 100, 200, 300, 400]);
    assert.deepEqual(docs.map((d) => d.user.name), ['user00', 'user01', 'user10', 'user00', 'user00']);
    assert.deepEqual(docs.map((d) => d.user.target?.name), ['user01', 'user00', 'user11', 'user01', undefined]);
    assert.equal(docs[4].mattermost.audit.channel.name, 'incidents');
  });
  assert.deepEqual(requests.filter((r) => r.method === 'POST').map((r) => new Set(r.body as string[])), [new Set([USERS[10]!.id, USERS[11]!.id])], 'only the unknown users are asked');
});

test('leaves pipeline_error documents alone', async () => {
  const { enricher: names } = enricher();
  const [doc] = docsOf([`{"user_id":"${USERS[0]!.id}"`]);
  const before = JSON.stringify(doc);
  assert.deepEqual(await requestsDuring(() => names.enrich([doc])), []);
  assert.equal(JSON.stringify(doc), before);
});

test('every field enrichment writes, e-mail included, has an explicit mapping in the index template', async () => {
  const { enricher: names } = enricher({ includeEmail: true });
  const docs = docsOf(namedRecordMix(60));
  await names.enrich(docs);
  const fields = new Set(docs.flatMap((doc) => [...flatten(doc).keys()]));
  assert.ok(fields.has('user.email') && fields.has('mattermost.audit.channel.display_name'));
  // Free-form objects of legacy lines keep Elastic's dynamic string mapping.
  assert.deepEqual([...fields].filter((field) => !isMapped(field) && !/^mattermost\.audit\.(channel|team|post|patch)\./.test(field)), []);
});
