/** The inputs the settings turn on, beside the webhook. */
import { FileTailInput } from './file/index.js';
import type { Input, InputContext } from './input.js';
import { RestPollerInput } from './rest/index.js';
import { TcpInput } from './tcp/index.js';

export function createInputs(context: InputContext): Input[] {
  // Their settings were checked together with the others (checkInputSettings in loadSettings).
  const { settings } = context;
  const inputs: Input[] = [];
  if (settings.AUDIT_LOG_PATHS) inputs.push(new FileTailInput(context, settings.AUDIT_LOG_PATHS));
  if (settings.TCP_LISTEN) inputs.push(new TcpInput(context, settings.TCP_LISTEN));
  if (settings.MATTERMOST_URL && settings.MATTERMOST_TOKEN) inputs.push(new RestPollerInput(context, settings.MATTERMOST_URL, settings.MATTERMOST_TOKEN));
  return inputs;
}
