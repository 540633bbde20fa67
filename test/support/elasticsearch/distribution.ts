/**
 * Elastic's integ-test distribution of Elasticsearch (org.elasticsearch.distribution.integ-test-zip
 * on Maven Central), fetched with Maven into a cache outside the work tree and unpacked once.
 * Several test processes (other worktrees' too) may ask for the same version at the same time:
 * each unpacks into a staging folder of its own and renames it into place, so a half-unpacked
 * distribution is never seen and the first finished rename wins.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

/** The newest 8.19.x and the newest 9.x that Maven Central serves (9.5.5 and 9.5.6 answer 404). */
export const PINNED_ES_VERSIONS = ['8.19.21', '9.5.4'] as const;
/** 8.19 runs on Debian's default JDK (17); 9.x needs Java 21 or later, which Debian 12 does not ship. */
export const DEFAULT_ES_VERSION = '8.19.21';

const ARTIFACT = 'org.elasticsearch.distribution.integ-test-zip:elasticsearch';
const VERSION_PATTERN = /^\d+\.\d+\.\d+$/;

/** What stops a real node from running on this machine, in one line: tests fail with it, never skip. */
export class ElasticsearchSetupError extends Error {
  override readonly name = 'ElasticsearchSetupError';
}

export interface Distribution {
  version: string;
  /** The unpacked `elasticsearch-<version>` folder. */
  home: string;
  /** Names of the folders under modules/ (the integ-test zip has only a handful). */
  modules: string[];
}

/** `ES_VERSIONS=8.19.21,9.5.4` runs the real-node tests on each; the default run uses DEFAULT_ES_VERSION. */
export function esVersions(value = process.env.ES_VERSIONS): string[] {
  const versions = (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const version of versions) {
    if (!VERSION_PATTERN.test(version)) throw new ElasticsearchSetupError(`ES_VERSIONS: "${version}" is not a version such as ${DEFAULT_ES_VERSION}`);
  }
  return versions.length > 0 ? [...new Set(versions)] : [DEFAULT_ES_VERSION];
}

/**
 * `ES_CACHE_DIR`, else `${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-audit-elastic/elasticsearch`.
 * As root the node runs as a system user that must read the distribution: when that folder lies
 * in a private home (Debian's /root is 0700), /var/cache/mattermost-audit-elastic/elasticsearch.
 */
export function esCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ES_CACHE_DIR) return env.ES_CACHE_DIR;
  const base = join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'mattermost-audit-elastic', 'elasticsearch');
  if (process.getuid?.() === 0 && !traversableByOthers(base)) return '/var/cache/mattermost-audit-elastic/elasticsearch';
  return base;
}

/** Every existing ancestor of `path` lets other users through (o+x). */
function traversableByOthers(path: string): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

export interface EnsureOptions {
  cacheDir?: string;
  /** The Maven command (default `mvn` on PATH). */
  mvn?: string;
}

/** The unpacked distribution, fetched and unpacked first when the cache lacks it. */
export async function ensureDistribution(version: string, options: EnsureOptions = {}): Promise<Distribution> {
  if (!VERSION_PATTERN.test(version)) throw new ElasticsearchSetupError(`"${version}" is not an Elasticsearch version such as ${DEFAULT_ES_VERSION}`);
  const versionDir = join(options.cacheDir ?? esCacheDir(), version);
  const home = join(versionDir, `elasticsearch-${version}`);
  if (!isUnpacked(home)) await fetchAndUnpack(version, versionDir, home, options.mvn ?? 'mvn');
  return { version, home, modules: readdirSync(join(home, 'modules')).sort() };
}

function isUnpacked(home: string): boolean {
  return existsSync(join(home, 'bin', 'elasticsearch')) && existsSync(join(home, 'lib'));
}

async function fetchAndUnpack(version: string, versionDir: string, home: string, mvn: string): Promise<void> {
  const mavenCommand = onPath(mvn);
  if (!mavenCommand) {
    throw new ElasticsearchSetupError(`${mvn} not found on PATH: Elasticsearch ${version} for the tests is fetched from Maven Central with Maven (Debian: apt-get install maven)`);
  }
  const unzip = onPath('unzip');
  if (!unzip) throw new ElasticsearchSetupError(`unzip not found on PATH: needed to unpack Elasticsearch ${version} (Debian: apt-get install unzip)`);
  await mkdir(versionDir, { recursive: true });
  const staging = await mkdtemp(join(versionDir, '.staging-'));
  try {
    const artifact = `${ARTIFACT}:${version}:zip`;
    const fetched = await run(mavenCommand, ['-q', '-B', 'dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${staging}`]);
    const zip = join(staging, `elasticsearch-${version}.zip`);
    if (fetched.code !== 0 || !existsSync(zip)) {
      throw new ElasticsearchSetupError(`cannot fetch ${artifact} from Maven Central: ${mavenError(fetched.output) || `mvn exited with ${fetched.code}`}`);
    }
    const unpacked = await run(unzip, ['-q', '-o', zip, '-d', staging]);
    if (unpacked.code !== 0) throw new ElasticsearchSetupError(`cannot unpack ${zip}: ${lastLine(unpacked.output)}`);
    await rm(zip);
    // The node runs as another user (tests run as root): it must read everything, write nothing here.
    await run('chmod', ['-R', 'a+rX', staging]);
    try {
      await rename(join(staging, `elasticsearch-${version}`), home);
    } catch (error) {
      // Another process finished first: its copy is as good as ours.
      if (!isUnpacked(home)) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** The first `[ERROR]` line Maven printed (minus its noise), else its last line. */
function mavenError(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim()).filter((line) => line !== '');
  const error = lines.find((line) => line.startsWith('[ERROR]') && !/^\[ERROR\] *(-> \[Help|$|To see the full|Re-run Maven|For more information)/.test(line));
  return (error ?? lines.at(-1) ?? '').replace(/^\[ERROR\]\s*/, '').slice(0, 400);
}

function lastLine(output: string): string {
  return output.trim().split('\n').at(-1) ?? '';
}

/** The command's path when it can be run: as given when it holds a slash, else found on PATH. */
export function onPath(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/') ? [command] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not there, or not executable: the next one
    }
  }
  return undefined;
}

export function run(command: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
