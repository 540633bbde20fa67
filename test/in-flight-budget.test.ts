import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightBudget } from '../server/src/inputs/in-flight-budget.js';

test('reserves room for a body only when it fits, grows it as it arrives, and gives it back once', () => {
  const budget = new InFlightBudget(100);
  const first = budget.reserve(60)!;
  assert.equal(budget.reserve(50), undefined, 'no room for a second body of 50');
  const second = budget.reserve(0)!;
  assert.equal(second.cover(40), true);
  assert.equal(second.cover(41), false, 'a body without Content-Length is refused once it outgrows the room');
  assert.equal(budget.bytes, 100);
  first.release();
  first.release();
  assert.equal(budget.bytes, 40);
  second.release();
  assert.equal(budget.bytes, 0);
});

test('wakes the readers that wait for room once the budget is under its limit', async () => {
  const budget = new InFlightBudget(100);
  budget.take(120);
  const stop = new AbortController();
  const woken: string[] = [];
  const a = budget.waitForRoom({}, stop.signal).then(() => woken.push('a'));
  const b = budget.waitForRoom({}, stop.signal).then(() => woken.push('b'));
  budget.give(10);
  await Promise.resolve();
  assert.deepEqual(woken, [], 'still over the limit');
  budget.give(20);
  await Promise.all([a, b]);
  assert.deepEqual(woken, ['a', 'b']);
});

test('lends the overdraft to one reader at a time, and hands it to the first waiter while over the limit', async () => {
  const budget = new InFlightBudget(100);
  budget.take(150);
  const stop = new AbortController();
  const [a, b, c] = [{}, {}, {}];
  assert.equal(budget.claimOverdraft(a), true);
  assert.equal(budget.claimOverdraft(b), false, 'one holder at a time');
  const woken: string[] = [];
  const waitingB = budget.waitForRoom(b, stop.signal).then(() => woken.push('b'));
  const waitingC = budget.waitForRoom(c, stop.signal).then(() => woken.push('c'));
  budget.releaseOverdraft(b);
  budget.releaseOverdraft(a);
  await waitingB;
  await Promise.resolve();
  assert.deepEqual(woken, ['b'], 'only the first waiter reads on, the others still wait');
  assert.equal(budget.claimOverdraft(c), false);
  assert.equal(budget.claimOverdraft(b), true);
  stop.abort();
  await waitingC;
  assert.deepEqual(woken, ['b', 'c'], 'a closed reader stops waiting');
});
