/**
 * user_agent.* as Elastic's user_agent processor writes it (uap-core names), parsed with
 * ua-parser-js 1.x (MIT) and normalized where the two libraries name things differently.
 * A Mattermost server sees few distinct clients, so results are cached.
 */
import { LRUCache } from 'lru-cache';
import { UAParser } from 'ua-parser-js';
import type { JsonObject } from './types.js';

const cache = new LRUCache<string, JsonObject>({ max: 2_000 });
const parser = new UAParser();

/** A fresh copy each call: documents own their objects and may be mutated downstream. */
export function parseUserAgent(original: string): JsonObject {
  let parsed = cache.get(original);
  if (parsed === undefined) {
    parsed = describeUserAgent(original);
    cache.set(original, parsed);
  }
  return copyUserAgent(parsed);
}

function describeUserAgent(original: string): JsonObject {
  parser.setUA(original);
  const { browser, os, device } = parser.getResult();
  const result: JsonObject = { original, name: browserName(browser.name, os.name, original) ?? 'Other' };
  if (browser.name && browser.version) result.version = browser.version;
  if (os.name) {
    const osName = OS_NAMES[os.name] ?? os.name;
    // uap-core reports only numeric versions; ua-parser-js sometimes reports an architecture.
    const osVersion = os.version && /^\d/.test(os.version) ? os.version : undefined;
    result.os = osVersion ? { name: osName, version: osVersion, full: `${osName} ${osVersion}` } : { name: osName };
  }
  result.device = { name: deviceName(device.vendor, device.model) };
  return result;
}

const OS_NAMES: Record<string, string> = { 'Mac OS': 'Mac OS X', Chromium_OS: 'Chrome OS' };

function browserName(name: string | undefined, osName: string | undefined, original: string): string | undefined {
  if (name === undefined) return undefined;
  // uap-core separates mobile builds of the big browsers; ua-parser-js does not.
  if (name === 'Chrome' && osName === 'Android' && original.includes('Mobile')) return 'Chrome Mobile';
  if (name === 'Chrome' && original.includes('CriOS/')) return 'Chrome Mobile iOS';
  if (name === 'Firefox' && osName === 'Android') return 'Firefox Mobile';
  if (name === 'Firefox' && original.includes('FxiOS/')) return 'Firefox iOS';
  return name;
}

function deviceName(vendor: string | undefined, model: string | undefined): string {
  if (!model) return 'Other';
  if (vendor === 'Apple') return model === 'Macintosh' ? 'Mac' : model;
  return vendor ? `${vendor} ${model}` : model;
}

function copyUserAgent(value: JsonObject): JsonObject {
  const copy: JsonObject = { ...value };
  if (value.os) copy.os = { ...(value.os as JsonObject) };
  copy.device = { ...(value.device as JsonObject) };
  return copy;
}
