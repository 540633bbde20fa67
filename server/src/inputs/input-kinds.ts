/**
 * The inputs a forwarder can run, each behind its switch (INPUT_WEBHOOK, INPUT_FILE, INPUT_TCP,
 * INPUT_REST), and what each needs from the environment. InputSupervisor starts and stops them.
 */
import type { Settings } from '../config/schema.js';
import { FileTailInput } from './file/index.js';
import type { Input, InputContext } from './input.js';
import { RestPollerInput } from './rest/index.js';
import { TcpInput } from './tcp/index.js';

export type SwitchSetting = 'INPUT_WEBHOOK' | 'INPUT_FILE' | 'INPUT_TCP' | 'INPUT_REST';

export interface InputKind {
  /** The name in /v1/status and the activity counters. */
  name: 'http' | 'file' | 'tcp' | 'rest';
  switch: SwitchSetting;
  /** Why it cannot run with these settings, or undefined when it can. */
  missing(settings: Settings): string | undefined;
  /** Whether it is on when its switch is unset: when what it needs is there. */
  onByDefault(settings: Settings): boolean;
  /** undefined for the webhook, an Express route that checks its switch per request. */
  create?(context: InputContext, settings: Settings): Input;
}

export const INPUT_KINDS: readonly InputKind[] = [
  { name: 'http', switch: 'INPUT_WEBHOOK', missing: () => undefined, onByDefault: () => true },
  {
    name: 'file', switch: 'INPUT_FILE',
    missing: (s) => (s.AUDIT_LOG_PATHS ? undefined : 'AUDIT_LOG_PATHS is not set on the forwarder: there is no audit log to tail'),
    onByDefault: (s) => Boolean(s.AUDIT_LOG_PATHS),
    create: (context, s) => new FileTailInput(context, s.AUDIT_LOG_PATHS!),
  },
  {
    name: 'tcp', switch: 'INPUT_TCP',
    missing: (s) => (s.TCP_LISTEN ? undefined : 'TCP_LISTEN is not set on the forwarder: there is no address to listen on'),
    onByDefault: (s) => Boolean(s.TCP_LISTEN),
    create: (context, s) => new TcpInput(context, s.TCP_LISTEN!),
  },
  {
    name: 'rest', switch: 'INPUT_REST',
    missing: (s) => (s.MATTERMOST_URL && s.MATTERMOST_TOKEN ? undefined : 'MATTERMOST_URL and MATTERMOST_TOKEN are not set on the forwarder: there is no Mattermost to poll'),
    onByDefault: (s) => Boolean(s.MATTERMOST_URL && s.MATTERMOST_TOKEN),
    create: (context, s) => new RestPollerInput(context, s.MATTERMOST_URL!, s.MATTERMOST_TOKEN!),
  },
];

/** Whether the settings switch this input on: its switch, else on when it has what it needs. */
export function switchedOn(kind: InputKind, settings: Settings): boolean {
  return settings[kind.switch] ?? kind.onByDefault(settings);
}
