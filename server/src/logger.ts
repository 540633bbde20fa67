/**
 * ECS-formatted JSON logs (pino + @elastic/ecs-pino-format), so our own logs can go to Elastic too.
 * Every line is scrubbed of credentials inside URLs on its way out, whichever field or error
 * message brought them.
 */
import { ecsFormat } from '@elastic/ecs-pino-format';
import { pino, type Logger } from 'pino';
import { VERSION } from './package-info.js';
import { scrubUrlCredentials } from './url-credentials.js';

export type { Logger };

export function createLogger(level = 'info', destination: NodeJS.WritableStream | number = 2): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: false }) : destination;
  return pino({ level, ...ecsFormat({ serviceName: 'mattermost-audit-elastic', serviceVersion: VERSION }), hooks: { streamWrite: scrubUrlCredentials } }, stream);
}
