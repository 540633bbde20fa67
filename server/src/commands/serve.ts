/** `serve`: the forwarder, configured from the environment, stopped cleanly by SIGTERM/SIGINT. */
import { ConfigError, loadSettings } from '../config/load.js';
import { startForwarder } from '../forwarder.js';
import { createLogger } from '../logger.js';

export async function runServe(): Promise<void> {
  let settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`mattermost-audit-elastic: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const logger = createLogger(settings.LOG_LEVEL);
  const forwarder = await startForwarder(settings, logger);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ 'event.action': signal }, 'stopping');
      forwarder.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        },
      );
    });
  }
}
