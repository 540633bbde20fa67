/**
 * Names instead of ids, end to end: the forwarder as a child process (real Redis, file sink)
 * with MATTERMOST_URL pointing at a Mattermost directory emulator; documents read back from the
 * file, requests counted in the emulator's log.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startMattermostDirectoryEmulator, type MattermostDirectoryEmulator } from './mattermost-emulator/directory.js';
import { eventually, ForwarderProcess } from './support/forwarder-process.js';
import {
  CHANNELS, legacyFailedLogin, legacyPost, legacyTeamMemberAdded, modernChannelDeletion, modernFailedLogin, modernRoleChange, namedRecordMix, populate,
  restChannelMemberRemoval, restFailedLogin, restRoleChange, TEAMS, USERS,
} from './support/named-records.js';
import { RedisServer } from './support/redis-server.js';

const TOKEN = 'mm-enrich-token-0123456789';
let redis: RedisServer;
let dir: string;
const stops: Array<() => Promise<unknown>> = [];

before(async () => {
  redis = await RedisServer.start();
  dir = await mkdtemp(join(tmpdir(), 'mae-enrich-'));
});

after(async () => {
  for (const stop of stops.reverse()) await stop();
  await redis?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Setup {
  mattermost: MattermostDirectoryEmulator;
  forwarder: ForwarderProcess;
  documents(): any[];
  status(): Promise<any>;
}

async function setup(name: string, env: Record<string, string> = {}): Promise<Setup> {
  const mattermost = await startMattermostDirectoryEmulator({ token: TOKEN });
  populate(mattermost);
  stops.push(() => mattermost.close());
  const sinkPath = join(dir, `${name}.ndjson`);
  const forwarder = await ForwarderProcess.start({
    REDIS_URL: redis.url, DATA_DIR: join(dir, name), FILE_SINK_PATH: sinkPath, QUEUE_PREFIX: `{enrich-${name}}`,
    MATTERMOST_URL: mattermost.url, MATTERMOST_TOKEN: TOKEN, MATTERMOST_POLL_INTERVAL: '3600', TRANSFORM_THREADS: '1', ...env,
  }, join(dir, `${name}.log`));
  stops.push(() => forwarder.stop());
  return {
    mattermost, forwarder,
    documents: () => (existsSync(sinkPath) ? readFileSync(sinkPath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []),
    status: async () => (await forwarder.admin('/v1/status')).json(),
  };
}

async function post(forwarder: ForwarderProcess, lines: string[]): Promise<void> {
  const response = await forwarder.post(lines.join('\n'));
  assert.equal(response.status, 202, await response.text());
}

const bySeq = (docs: any[], action: string) => docs.filter((d) => d.event.action === action);

test('names users, targets, teams and channels in modern, REST and legacy documents', async () => {
  const { forwarder, documents, mattermost } = await setup('names');
  await post(forwarder, [
    modernRoleChange(0, 1), modernChannelDeletion(2, 1), modernFailedLogin('Mallory'),
    restRoleChange(3, 4), restChannelMemberRemoval(5, 6, 0), restFailedLogin('user07'),
    legacyTeamMemberAdded(8, 9, 1), legacyPost(10, 2), legacyFailedLogin('user11'),
  ]);
  await eventually(() => documents().length >= 9, '9 documents');
  const docs = documents();

  const [modernRoles] = bySeq(docs, 'updateUserRoles').filter((d) => d.mattermost.audit.event);
  assert.equal(modernRoles.user.name, 'user00');
  assert.equal(modernRoles.user.target.name, 'user01');
  assert.ok(['user00', 'user01', USERS[0]!.id, USERS[1]!.id].every((u) => modernRoles.related.user.includes(u)));

  const [deletion] = bySeq(docs, 'deleteChannel');
  assert.equal(deletion.user.name, 'user02');
  assert.equal(deletion.mattermost.audit.channel.name, 'incidents');
  assert.equal(deletion.mattermost.audit.channel.display_name, 'Incidents');
  assert.equal(deletion.mattermost.audit.team.id, TEAMS[1]!.id);
  assert.equal(deletion.mattermost.audit.team.name, 'ops');

  const logins = bySeq(docs, 'login');
  const modernLogin = logins.find((d) => d.mattermost.audit.event);
  assert.equal(modernLogin.user.name, 'Mallory', 'a login name Mattermost does not know stays as typed');
  assert.equal(modernLogin.user.id, undefined);
  const restLogin = logins.find((d) => d.input.type === 'http_endpoint' && d.mattermost.audit.extra_info);
  assert.equal(restLogin.user.name, 'user07');
  assert.equal(restLogin.user.id, USERS[7]!.id, 'the account a failed login aimed at');
  const legacyLogin = logins.find((d) => !d.mattermost.audit.event && !d.mattermost.audit.extra_info);
  assert.equal(legacyLogin.user.id, 'user11', "legacy keeps Elastic's user.id ← login_id");
  assert.equal(legacyLogin.user.name, 'user11');

  const restRoles = bySeq(docs, 'updateUserRoles').find((d) => d.mattermost.audit.extra_info);
  assert.equal(restRoles.user.name, 'user03');
  assert.equal(restRoles.user.target.name, 'user04');
  assert.equal(restRoles.url.path, `/api/v4/users/${USERS[4]!.id}/roles`);

  const [removal] = bySeq(docs, 'removeChannelMember');
  assert.equal(removal.user.target.name, 'user06');
  assert.equal(removal.mattermost.audit.channel.name, 'town-square');
  assert.equal(removal.mattermost.audit.team.name, 'eng');

  const [teamMembers] = bySeq(docs, 'addTeamMembers');
  assert.equal(teamMembers.user.name, 'user08');
  assert.equal(teamMembers.user.target.name, 'user09');
  assert.equal(teamMembers.mattermost.audit.team.name, 'ops');
  assert.deepEqual(teamMembers.user.target.group, { id: TEAMS[1]!.id, name: 'ops' });

  const [legacyPostDoc] = bySeq(docs, 'createPost');
  assert.equal(legacyPostDoc.user.name, 'user10');
  assert.equal(legacyPostDoc.mattermost.audit.channel.name, CHANNELS[2]!.name);
  assert.equal(legacyPostDoc.mattermost.audit.team.name, 'eng');

  assert.ok(!JSON.stringify(docs).includes('@example.com'), 'no e-mail address without ENRICH_USER_EMAIL');
  assert.ok(mattermost.requests().every((r) => r.status === 200 || r.status === 404), JSON.stringify(mattermost.requests()));
});

test('asks Mattermost about each id once, however many records name it', async () => {
  const { forwarder, documents, mattermost, status } = await setup('load', { BATCH_SIZE: '250' });
  const lines = namedRecordMix(2000);
  for (let i = 0; i < lines.length; i += 500) await post(forwarder, lines.slice(i, i + 500));
  await eventually(() => documents().length >= 2000, '2000 documents', 60_000);
  const docs = documents();
  assert.ok(docs.every((d) => typeof d.user.name === 'string'), 'every actor named');
  assert.ok(docs.filter((d) => d.mattermost.audit.channel).every((d) => typeof d.mattermost.audit.channel.name === 'string'));
  assert.ok(docs.filter((d) => d.mattermost.audit.team).every((d) => typeof d.mattermost.audit.team.name === 'string'));

  const requests = mattermost.requests();
  const askedUsers = requests.filter((r) => r.path === '/api/v4/users/ids').flatMap((r) => r.body as string[]);
  assert.equal(askedUsers.length, new Set(askedUsers).size, `a user id asked twice: ${JSON.stringify(askedUsers)}`);
  assert.equal(new Set(askedUsers).size, 12);
  const gets = requests.filter((r) => r.method === 'GET').map((r) => r.path);
  assert.equal(gets.length, new Set(gets).size, `a team or channel asked twice: ${JSON.stringify(gets)}`);
  assert.ok(requests.length <= 12, `${requests.length} requests for 2000 records: ${JSON.stringify(requests.map((r) => r.path))}`);
  process.stderr.write(`# ${requests.length} requests to Mattermost for 2000 records (${requests.map((r) => r.path.replace(/[a-z0-9]{26}/, '{id}')).join(', ')})\n`);
  const enrichment = (await status()).enrichment;
  assert.equal(enrichment.enabled, true);
  assert.equal(enrichment.requests, requests.length);
  assert.equal(enrichment.failures, 0);
});

test('delivers records within seconds while Mattermost is down, and names them again once it is back', async () => {
  const { forwarder, documents, mattermost, status } = await setup('down');
  await mattermost.down();
  const startedAt = Date.now();
  await post(forwarder, namedRecordMix(300));
  await eventually(() => documents().length >= 300, '300 documents while Mattermost is down', 20_000);
  const seconds = (Date.now() - startedAt) / 1000;
  assert.ok(documents().every((d) => d.user.name === undefined), 'no name without Mattermost');
  let enrichment: any;
  await eventually(async () => {
    enrichment = (await status()).enrichment;
    return enrichment.failures > 0;
  }, 'the outage in the status');
  assert.match(enrichment.lastError, /cannot reach .*ECONNREFUSED/);
  assert.ok(enrichment.documentsWithoutNames >= 300, JSON.stringify(enrichment));
  process.stderr.write(`# 300 records delivered in ${seconds.toFixed(1)} s with Mattermost down\n`);

  await mattermost.up();
  // Past the pause that followed the failure, the next batch asks again.
  await eventually(async () => {
    await post(forwarder, [modernRoleChange(1, 2)]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return documents().some((d) => d.user.name === 'user01');
  }, 'names again after Mattermost came back', 30_000);
});

test('a Mattermost that does not answer holds a batch no longer than ENRICH_MAX_WAIT_MS', async () => {
  const { forwarder, documents, mattermost } = await setup('slow', { ENRICH_MAX_WAIT_MS: '500' });
  mattermost.delay(30_000);
  const startedAt = Date.now();
  await post(forwarder, namedRecordMix(60));
  await eventually(() => documents().length >= 60, '60 documents from a hanging Mattermost', 20_000);
  const seconds = (Date.now() - startedAt) / 1000;
  // Without the bound the batch would wait for the request's own 10 s timeout.
  assert.ok(seconds < 8, `took ${seconds} s`);
  assert.ok(documents().every((d) => d.user.name === undefined), 'Mattermost never answered');
});

test("names a file backlog's documents once Mattermost answered, even when batches never wait (ENRICH_MAX_WAIT_MS=0)", async () => {
  const logs = join(dir, 'backlog-logs');
  await mkdir(logs, { recursive: true });
  const { documents, status } = await setup('backlog', { ENRICH_MAX_WAIT_MS: '0', AUDIT_LOG_PATHS: join(logs, 'audit.log') });
  const lines = Array.from({ length: 30_000 }, (_, i) => (i % 2 ? legacyPost(i, i, i) : legacyTeamMemberAdded(i, i + 1, i, i)));
  writeFileSync(join(logs, 'staged.log'), `${lines.join('\n')}\n`);
  renameSync(join(logs, 'staged.log'), join(logs, 'audit.log'));
  await eventually(() => documents().length >= 30_000, '30000 documents from the file', 90_000);
  const named = documents().filter((d) => typeof d.user.name === 'string').length;
  // The first batches go out before the answers come; the thread must read them while the backlog streams.
  assert.ok(named > 20_000, `${named} of 30000 named; ${JSON.stringify((await status()).enrichment)}`);
});

test('says in /v1/status that Mattermost refused the token (401), and delivers regardless', async () => {
  const { forwarder, documents } = await setup('denied', { MATTERMOST_TOKEN: 'wrong-token-0123456789' });
  await post(forwarder, [modernRoleChange(0, 1), legacyPost(2, 0)]);
  await eventually(() => documents().length >= 2, '2 documents');
  let status: any;
  await eventually(async () => {
    status = await (await forwarder.admin('/v1/status')).json();
    return status.enrichment.failures > 0;
  }, 'the refusal in the status');
  assert.match(status.enrichment.lastError, /401 \(Unauthorized\).*MATTERMOST_TOKEN/);
  assert.ok(!JSON.stringify(status).includes('wrong-token-0123456789'), 'the token is never shown');
  assert.equal(documents()[0].user.name, undefined);
});

test('with ENRICH=false asks Mattermost nothing; with ENRICH_USER_EMAIL=true adds e-mail addresses', async () => {
  const off = await setup('off', { ENRICH: 'false' });
  await post(off.forwarder, [modernRoleChange(0, 1), restRoleChange(2, 3)]);
  await eventually(() => off.documents().length >= 2, '2 documents');
  assert.deepEqual(off.mattermost.requests(), []);
  assert.ok(off.documents().every((d) => d.user.name === undefined));
  const offStatus = await off.status();
  assert.deepEqual({ enabled: offStatus.enrichment.enabled, reason: offStatus.enrichment.reason }, { enabled: false, reason: 'ENRICH=false' });

  const email = await setup('email', { ENRICH_USER_EMAIL: 'true' });
  await post(email.forwarder, [modernRoleChange(0, 1)]);
  await eventually(() => email.documents().length >= 1, '1 document');
  const [doc] = email.documents();
  assert.equal(doc.user.email, 'user0@example.com');
  assert.equal(doc.user.target.email, 'user1@example.com');
});
