/**
 * The Mattermost side of the TCP input as the wiring action writes it: AdvancedLoggingJSON read
 * in each form Mattermost accepts (an object, JSON in a string, a file name), our target added
 * or replaced with the others kept, and the licence read from the client licence's plan.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  additionalAuditEnv, advancedLoggingLicence, auditTarget, parseAdvancedLogging, portOf, TARGET_NAME, withAuditTarget,
} from '../webapp/src/audit-target.js';

const ENDPOINT = { host: 'forwarder.internal', port: 5514, tls: true };

test('the target sends the four audit levels as JSON, dialling ip (logr) with host set too', () => {
  assert.deepEqual(auditTarget(ENDPOINT), {
    Type: 'tcp', Format: 'json',
    Levels: [{ ID: 100, Name: 'audit-api' }, { ID: 101, Name: 'audit-content' }, { ID: 102, Name: 'audit-permissions' }, { ID: 103, Name: 'audit-cli' }],
    Options: { ip: 'forwarder.internal', host: 'forwarder.internal', port: 5514, tls: true }, MaxQueueSize: 1000,
  });
});

test('AdvancedLoggingJSON is read as Mattermost holds it: an object, JSON in a string, empty, or a file name', () => {
  const other = { Type: 'syslog', Format: 'plain', Levels: [], Options: {} };
  assert.deepEqual(parseAdvancedLogging({ other }), { kind: 'targets', targets: { other } });
  assert.deepEqual(parseAdvancedLogging(JSON.stringify({ other })), { kind: 'targets', targets: { other } });
  assert.deepEqual(parseAdvancedLogging(undefined), { kind: 'targets', targets: {} });
  assert.deepEqual(parseAdvancedLogging(''), { kind: 'targets', targets: {} });
  assert.deepEqual(parseAdvancedLogging('/etc/mattermost/audit-logging.json'), { kind: 'file', path: '/etc/mattermost/audit-logging.json' });
  assert.equal(parseAdvancedLogging('{not json').kind, 'invalid');
  assert.equal(parseAdvancedLogging([1]).kind, 'invalid');
});

test('adding our target keeps every other target as it was and replaces an earlier one of ours', () => {
  const other = { Type: 'file', Options: { filename: 'x.log' } };
  const first = withAuditTarget({ other }, ENDPOINT);
  assert.deepEqual(Object.keys(first), ['other', TARGET_NAME]);
  assert.equal(first.other, other);
  const moved = withAuditTarget(first, { ...ENDPOINT, port: 6000 });
  assert.deepEqual(Object.keys(moved), ['other', TARGET_NAME]);
  assert.equal((moved[TARGET_NAME] as any).Options.port, 6000);
});

test('Advanced Logging is taken to come with the Enterprise plans only', () => {
  for (const sku of ['enterprise', 'advanced', 'entry', 'E20']) assert.equal(advancedLoggingLicence({ IsLicensed: 'true', SkuShortName: sku }).allows, true, sku);
  for (const sku of ['professional', 'E10', 'starter']) assert.equal(advancedLoggingLicence({ IsLicensed: 'true', SkuShortName: sku }).allows, false, sku);
  assert.deepEqual(advancedLoggingLicence({ IsLicensed: 'false' }), { allows: false, reason: 'this server has no Mattermost licence' });
});

test('the environment alternative is the target alone, quoted for a shell', () => {
  const env = additionalAuditEnv(ENDPOINT);
  const match = env.match(/^MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL='(.*)'$/);
  assert.ok(match);
  assert.deepEqual(JSON.parse(match![1]!), { [TARGET_NAME]: auditTarget(ENDPOINT) });
  assert.deepEqual([portOf('0.0.0.0:5514'), portOf('[::]:6514'), portOf('host'), portOf(undefined)], [5514, 6514, undefined, undefined]);
});
