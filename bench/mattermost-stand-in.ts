/**
 * BENCH_ENRICH=1: a Mattermost directory emulator that knows every user and channel of the
 * record mix, for the forwarder (MATTERMOST_URL) or an in-process enricher to name ids from.
 * Off by default: the figures then measure the forwarder as it runs without MATTERMOST_URL.
 */
import { startMattermostDirectoryEmulator, type MattermostDirectoryEmulator } from '../test/mattermost-emulator/directory.js';
import { id, MIX_CHANNELS, MIX_USERS } from './record-mix.js';

export const BENCH_ENRICH = process.env.BENCH_ENRICH === '1';
const TOKEN = 'bench-mattermost-token-0123';
const TEAM = id(0, 't');

export interface MattermostStandIn {
  directory: MattermostDirectoryEmulator;
  /** The forwarder settings that turn enrichment on against it. */
  env: Record<string, string>;
  token: string;
}

export async function startMattermostStandIn(): Promise<MattermostStandIn> {
  const directory = await startMattermostDirectoryEmulator({ token: TOKEN });
  for (let n = 0; n < MIX_USERS; n++) directory.users.push({ id: id(n, 'u'), username: `user${n}`, email: `user${n}@example.com` });
  for (let n = 0; n < MIX_CHANNELS; n++) directory.channels.push({ id: id(n, 'c'), name: `channel-${n}`, display_name: `Channel ${n}`, team_id: TEAM, type: 'O' });
  directory.teams.push({ id: TEAM, name: 'bench', display_name: 'Bench' });
  return { directory, token: TOKEN, env: { MATTERMOST_URL: directory.url, MATTERMOST_TOKEN: TOKEN, MATTERMOST_POLL_INTERVAL: '86400' } };
}
