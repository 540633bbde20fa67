/** Polling for a state a test waits for, shared by every test and test server. */
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until `check` is true (every `intervalMs`); fails with `what` after the timeout. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}
