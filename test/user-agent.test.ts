import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUserAgent } from '../server/src/transform/user-agent.js';

test("names clients as Elastic's user_agent processor does", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.45 Safari/537.36',
      { name: 'Chrome', version: '96.0.4664.45', os: { name: 'Windows', version: '10', full: 'Windows 10' }, device: { name: 'Other' } }],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
      { name: 'Safari', version: '17.1', os: { name: 'Mac OS X', version: '10.15.7', full: 'Mac OS X 10.15.7' }, device: { name: 'Mac' } }],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      { name: 'Mobile Safari', version: '17.1', os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' }, device: { name: 'iPhone' } }],
    ['Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36',
      { name: 'Chrome Mobile', version: '120.0.6099.43', os: { name: 'Android', version: '13', full: 'Android 13' }, device: { name: 'Samsung SM-S918B' } }],
    // Elastic's processor writes the empty patch group its Firefox pattern matches: "121.0.".
    ['Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', { name: 'Firefox', version: '121.0.', os: { name: 'Linux' }, device: { name: 'Other' } }],
    ['mmctl/5.31.0 (linux)', { name: 'Other', os: { name: 'Linux' }, device: { name: 'Other' } }],
    ['Mattermost Mobile/2.16.0+524 (iOS; 17.4.1; iPhone15,3)',
      { name: 'Mobile Safari UI/WKWebView', os: { name: 'iOS', version: '17.4.1', full: 'iOS 17.4.1' }, device: { name: 'iPhone' } }],
  ];
  for (const [original, expected] of cases) assert.deepEqual(parseUserAgent(original), { original, ...expected });
});

test('names an unknown client Other with no version or os', () => {
  assert.deepEqual(parseUserAgent('mmctl/9.3.0'), { original: 'mmctl/9.3.0', name: 'Other', device: { name: 'Other' } });
});

test('hands every document of a client the same frozen parse: a write into it throws and changes nothing', () => {
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.45 Safari/537.36';
  const first = parseUserAgent(ua) as any;
  assert.equal(parseUserAgent(ua), first);
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.os) && Object.isFrozen(first.device));
  // This module is strict code (ESM), as the enrichment and every other stage are.
  assert.throws(() => { first.os.name = 'changed'; }, TypeError);
  assert.throws(() => { first.name = 'changed'; }, TypeError);
  assert.equal((parseUserAgent(ua) as any).os.name, 'Windows');
  assert.equal((parseUserAgent(ua) as any).name, 'Chrome');
});

test('a parse with an empty text in it is a fresh copy per document, for pruneEmpty to prune in place', () => {
  const first = parseUserAgent('') as any;
  assert.deepEqual(first, { original: '', name: 'Other', device: { name: 'Other' } });
  assert.ok(!Object.isFrozen(first) && !Object.isFrozen(first.device));
  assert.notEqual(parseUserAgent(''), first);
  first.device.name = 'changed';
  assert.equal((parseUserAgent('') as any).device.name, 'Other');
});

test('a client string longer than any browser\'s is parsed each time, not kept in the cache', () => {
  const long = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/96.0.4664.45 ${'x'.repeat(1_100)}`;
  const first = parseUserAgent(long);
  assert.ok(Object.isFrozen(first));
  assert.notEqual(parseUserAgent(long), first);
  assert.deepEqual(parseUserAgent(long), first);
});
