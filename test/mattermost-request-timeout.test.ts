/**
 * Requests to Mattermost (the enrichment, the REST poller) end within their timeout even when
 * Mattermost takes the connection and never answers, garbage collection or not: on Node 20 a
 * timeout signal combined with AbortSignal.any could be collected and never fire.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, test } from 'node:test';
import { withTimeout } from '../server/src/mattermost-api.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let server: Server;
let url: string;

before(async () => {
  // Takes every request and never answers, as a hung Mattermost does.
  server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a request Mattermost never answers ends with a TimeoutError after its timeout, though garbage is collected meanwhile', async () => {
  const started = Date.now();
  const requests = Array.from({ length: 5 }, () => withTimeout(new AbortController().signal, 500, (signal) => fetch(url, { signal })));
  setTimeout(gc, 100);
  const outcomes = await Promise.race([
    Promise.allSettled(requests),
    new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5000).unref()),
  ]);
  assert.notEqual(outcomes, 'hung', 'every request settled');
  for (const outcome of outcomes as PromiseSettledResult<Response>[]) {
    assert.equal(outcome.status, 'rejected');
    assert.equal((outcome as PromiseRejectedResult).reason.name, 'TimeoutError');
  }
  assert.ok(Date.now() - started >= 450, 'not before the timeout');
});

test("the caller's own abort still ends the request at once, with the caller's reason", async () => {
  const caller = new AbortController();
  const request = withTimeout(caller.signal, 10_000, (signal) => fetch(url, { signal }));
  caller.abort(new Error('stopping'));
  await assert.rejects(request, /stopping/);
});
