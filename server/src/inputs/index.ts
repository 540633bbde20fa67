/** The inputs the settings turn on, beside the webhook. */
import { ConfigError } from '../config/load.js';
import type { Settings } from '../config/schema.js';
import { FileTailInput } from './file-tail.js';
import type { Input, InputContext } from './input.js';
import { RestPollerInput } from './rest-poller.js';
import { TcpInput } from './tcp.js';

/**
 * Rules between input settings that the schema checks one by one; throws ConfigError naming the
 * setting. Pure, so that it can run before anything connects.
 */
export function checkInputSettings(settings: Settings): void {
  if (settings.MATTERMOST_URL && !settings.MATTERMOST_TOKEN) {
    throw new ConfigError('MATTERMOST_TOKEN: required when MATTERMOST_URL is set (a personal access token)');
  }
  if (Boolean(settings.TCP_TLS_CERT) !== Boolean(settings.TCP_TLS_KEY)) {
    throw new ConfigError('TCP_TLS_CERT and TCP_TLS_KEY: set both for TLS, or neither');
  }
  if (settings.TCP_TLS_CA && !settings.TCP_TLS_CERT) {
    throw new ConfigError('TCP_TLS_CA: client certificates need TLS (TCP_TLS_CERT and TCP_TLS_KEY)');
  }
}

export function createInputs(context: InputContext): Input[] {
  const { settings } = context;
  checkInputSettings(settings);
  const inputs: Input[] = [];
  if (settings.AUDIT_LOG_PATHS) inputs.push(new FileTailInput(context, settings.AUDIT_LOG_PATHS));
  if (settings.TCP_LISTEN) inputs.push(new TcpInput(context, settings.TCP_LISTEN));
  if (settings.MATTERMOST_URL && settings.MATTERMOST_TOKEN) inputs.push(new RestPollerInput(context, settings.MATTERMOST_URL, settings.MATTERMOST_TOKEN));
  return inputs;
}
