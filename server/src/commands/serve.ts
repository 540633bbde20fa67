/** `serve`: the forwarder, configured from the environment, stopped cleanly by SIGTERM/SIGINT. */
import { environmentSettings, loadSettings } from '../config/load.js';
import { startForwarder } from '../forwarder.js';
import { createLogger } from '../logger.js';

/** Resolves once the forwarder runs; a failure to start rejects (cli.ts prints it as one line). */
export async function runServe(): Promise<void> {
  const settings = loadSettings();
  const logger = createLogger(settings.LOG_LEVEL);
  const forwarder = await startForwarder(settings, logger, { fromEnvironment: new Set(Object.keys(environmentSettings())) });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      // Ctrl-C under `make run` brings SIGINT from the terminal and SIGTERM from the script.
      if (stopping) return;
      stopping = true;
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
