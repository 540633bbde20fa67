/**
 * Finds Debian's rsyslogd with its Elasticsearch output, installing `rsyslog` and
 * `rsyslog-elasticsearch` the way .ci/run installs what the tests need (apt-get, as root) when
 * they are missing. Returns the rsyslogd path, or why the rsyslog figure has to be skipped.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const PACKAGES = ['rsyslog', 'rsyslog-elasticsearch'];

export type Found = { rsyslogd: string; version: string } | { skip: string };

export function ensureRsyslog(): Found {
  const missing = missingPackages();
  if (missing.length > 0 || !findRsyslogd()) {
    const why = install(missing.length > 0 ? missing : PACKAGES);
    if (why) return { skip: why };
  }
  const rsyslogd = findRsyslogd();
  return rsyslogd ? { rsyslogd, version: versionOf(rsyslogd) } : { skip: 'rsyslogd is not on this machine' };
}

/** "8.2302.0" from `rsyslogd -v`'s first line ("rsyslogd  8.2302.0 (aka 2023.02) compiled with:"). */
function versionOf(rsyslogd: string): string {
  const output = spawnSync(rsyslogd, ['-v'], { encoding: 'utf8' }).stdout ?? '';
  return /rsyslogd\s+(\S+)/.exec(output)?.[1] ?? 'unknown';
}

/** rsyslogd lives in /usr/sbin, which a non-root PATH often lacks. */
function findRsyslogd(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'rsyslogd');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Debian packages not installed; [] where there is no dpkg (then only rsyslogd's presence counts). */
function missingPackages(): string[] {
  const query = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\n', ...PACKAGES], { encoding: 'utf8' });
  if (query.error) return [];
  const installed = new Set(query.stdout.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]));
  return PACKAGES.filter((p) => !installed.has(p));
}

/** undefined when installed; otherwise why not. apt-get's chatter goes to stderr: stdout is for results. */
function install(packages: string[]): string | undefined {
  if (process.getuid?.() !== 0) return `${packages.join(' ')} not installed and not root (apt-get install -y ${packages.join(' ')})`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptGet = (args: string[]) => spawnSync('apt-get', args, { env, stdio: ['ignore', 2, 2] });
  process.stderr.write(`rsyslog: installing ${packages.join(' ')} (on a host with systemd, Debian's package also enables the system's rsyslog service; this bench never uses it)\n`);
  let result = aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  if (result.error) return `apt-get not available: ${result.error.message}`;
  if (result.status !== 0) {
    // A fresh machine's package lists may be missing or stale, as .ci/run assumes.
    aptGet(['update', '-qq']);
    result = aptGet(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  }
  return result.status === 0 ? undefined : `apt-get install ${packages.join(' ')} failed (exit ${result.status})`;
}
