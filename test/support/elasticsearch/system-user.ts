/**
 * Elasticsearch refuses to run as root, and the tests run as root on CI: the node then runs as an
 * unprivileged system user (ES_USER, default `elasticsearch`), created when missing. Run as
 * anyone else, the node simply runs as the same user.
 */
import { readFileSync } from 'node:fs';
import { ElasticsearchSetupError, onPath, run } from './distribution.js';

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** undefined when not root: the node runs as the current user. */
export async function nodeUser(name = process.env.ES_USER || 'elasticsearch'): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookup(name);
  if (existing) return existing;
  const useradd = onPath('useradd') ?? onPath('/usr/sbin/useradd');
  if (!useradd) throw new ElasticsearchSetupError(`system user ${name} is missing and useradd is not on PATH: Elasticsearch refuses to run as root`);
  const created = await run(useradd, ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name]);
  // Exit 9: another test process created it a moment ago.
  const user = lookup(name);
  if (!user) throw new ElasticsearchSetupError(`cannot create system user ${name} to run Elasticsearch (useradd exited ${created.code}: ${created.output.trim()})`);
  return user;
}

function lookup(name: string): RunAs | undefined {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.split(':')[0] === name);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}
