/**
 * user_agent.* as Elastic's user_agent processor writes it: uap-core's regexes (the copy Elastic
 * bundles, uap-core 0.10.0) evaluated the way its UserAgentParser evaluates them, the fields
 * composed as its UserAgentProcessor composes them:
 * - the first pattern that matches anywhere in the string wins, for the agent, the OS and the
 *   device separately;
 * - a name replacement substitutes `$1` only (once); version replacements are taken literally;
 *   a group that matched nothing is "", one that did not take part is absent;
 * - version = major[.minor[.patch[.build]]], stopping at the first absent part; os.version the
 *   same, os.full = "name version"; no os at all without a name; name and device.name "Other"
 *   when nothing matched.
 * The patterns are Java regexes; the ones of this file mean the same in JavaScript (the
 * differential test against the real processor over uap-core's test strings checks it).
 * A Mattermost server sees few distinct clients, so results are cached, and shared by documents.
 */
import regexes from './uap-regexes.generated.json' with { type: 'json' };
import { RememberedAnswers } from './remembered-answers.js';
import type { JsonObject } from './types.js';

interface Pattern {
  regex: RegExp;
  name?: string;
  versions: Array<string | undefined>;
}

interface Match {
  name: string;
  /** major, minor, patch, build: undefined where absent. */
  versions: Array<string | undefined>;
}

type Entry = Record<string, string | undefined>;

let patterns: { agent: Pattern[]; os: Pattern[]; device: Pattern[] } | undefined;

function compile(entries: Entry[], nameKey: string, versionKeys: string[]): Pattern[] {
  return entries.map((entry) => ({
    regex: new RegExp(entry.regex!, entry.regex_flag === 'i' ? 'i' : ''),
    name: entry[nameKey],
    versions: versionKeys.map((key) => entry[key]),
  }));
}

function loadPatterns(): NonNullable<typeof patterns> {
  patterns ??= {
    agent: compile(regexes.user_agent_parsers, 'family_replacement', ['v1_replacement', 'v2_replacement', 'v3_replacement', 'v4_replacement']),
    os: compile(regexes.os_parsers, 'os_replacement', ['os_v1_replacement', 'os_v2_replacement', 'os_v3_replacement', 'os_v4_replacement']),
    device: compile(regexes.device_parsers, 'device_replacement', []),
  };
  return patterns;
}

function findMatch(list: Pattern[], text: string): Match | undefined {
  for (const pattern of list) {
    const groups = pattern.regex.exec(text);
    if (groups === null) continue;
    let name: string | undefined;
    if (pattern.name !== undefined) {
      name = pattern.name.includes('$1') && groups[1] !== undefined ? pattern.name.replace('$1', () => groups[1]!) : pattern.name;
    } else {
      name = groups[1];
    }
    // A match without a name counts as none: the next pattern is tried.
    if (name === undefined) continue;
    const versions = [0, 1, 2, 3].map((i) => pattern.versions[i] ?? groups[i + 2]);
    return { name, versions };
  }
  return undefined;
}

function dotted(versions: Array<string | undefined>): string | undefined {
  if (versions[0] === undefined) return undefined;
  let text = versions[0];
  for (let i = 1; i < versions.length && versions[i] !== undefined; i++) text += `.${versions[i]}`;
  return text;
}

function describeUserAgent(original: string): JsonObject {
  const { agent, os, device } = loadPatterns();
  const found = findMatch(agent, original);
  const result: JsonObject = { original, name: found?.name ?? 'Other' };
  const version = found && dotted(found.versions);
  if (version !== undefined) result.version = version;
  const system = findMatch(os, original);
  if (system) {
    const osVersion = dotted(system.versions);
    result.os = osVersion === undefined ? { name: system.name } : { name: system.name, version: osVersion, full: `${system.name} ${osVersion}` };
  }
  result.device = { name: findMatch(device, original)?.name ?? 'Other' };
  return result;
}

/**
 * Parsed clients. A plain Map, emptied when it reaches its bound, rather than an LRU: its lookup,
 * for every record, costs about a third of lru-cache's, and a server's clients are far fewer than
 * the bound, so it is seldom emptied. Strings longer than any browser's are parsed each time and
 * not kept, so that the cache stays small (2,000 strings of at most 1 KB, with their parses).
 */
const parses = new RememberedAnswers(frozenParse, { entries: 2_000, longestKey: 1_024 });

/**
 * user_agent.* of a client string: the cached parse itself, frozen, shared by every document of
 * the same client. A copy per document took three object spreads (0.4–1.4 µs of toEcs a record here);
 * nothing after the transform writes into user_agent, and a write into a frozen object throws (in a
 * module, strict code) rather than change other documents. A parse with an empty text in it is
 * the exception (rare): pruneEmpty removes such a text in place, so each document gets a copy.
 */
export function parseUserAgent(original: string): JsonObject {
  const parsed = parses.answer(original);
  return Object.isFrozen(parsed) ? parsed : copyUserAgent(parsed);
}

/** The parse of a client, frozen unless it holds an empty text. */
function frozenParse(original: string): JsonObject {
  const parsed = describeUserAgent(original);
  if (!holdsEmptyText(parsed)) deepFreeze(parsed);
  return parsed;
}

/** "" anywhere in the parse (name, version, os.*, device.name: a pattern group that matched nothing). */
function holdsEmptyText(value: JsonObject): boolean {
  for (const key in value) {
    const field = value[key];
    if (field === '' || (typeof field === 'object' && field !== null && holdsEmptyText(field as JsonObject))) return true;
  }
  return false;
}

function deepFreeze(value: JsonObject): void {
  for (const key in value) {
    const field = value[key];
    if (typeof field === 'object' && field !== null) deepFreeze(field as JsonObject);
  }
  Object.freeze(value);
}

function copyUserAgent(value: JsonObject): JsonObject {
  const copy: JsonObject = { ...value };
  if (value.os) copy.os = { ...(value.os as JsonObject) };
  copy.device = { ...(value.device as JsonObject) };
  return copy;
}
