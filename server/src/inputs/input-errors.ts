/**
 * An input's last error: kept for its status, logged, and counted in Redis for /v1/status of
 * every process. The same error is logged at most once a minute, since some are met on every
 * poll (a directory that cannot be read, a Mattermost refusing the token).
 */
import type { Logger } from '../logger.js';
import type { Activity } from '../status/activity.js';

const REPEAT_LOG_MS = 60_000;

export class InputErrors {
  last: string | null = null;
  private loggedAt = 0;

  constructor(private readonly input: string, private readonly logger: Logger, private readonly activity: Activity) {}

  report(error: unknown, message: string, level: 'error' | 'warn' = 'error'): void {
    const text = `${message}: ${(error as Error | undefined)?.message ?? String(error)}`;
    const repeated = text === this.last && Date.now() - this.loggedAt < REPEAT_LOG_MS;
    this.last = text;
    if (repeated) return;
    this.loggedAt = Date.now();
    this.logger[level]({ err: error, 'event.module': this.input }, message);
    this.activity.recordInputError(this.input, text).catch((err: unknown) => this.logger.warn({ err }, `cannot record the ${this.input} input's error`));
  }
}
