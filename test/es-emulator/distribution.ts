/**
 * Which Elasticsearch distribution the emulator answers as. `default` is what users run (every
 * module: `GET /`, the data stream API, x-pack mapper types). `integ-test` is Elastic's integ-test
 * zip that the real-node tests run, as seen on 8.19.21 and 9.5.4: four modules only, so `GET /`
 * and `_data_stream` have no handler, and mapper types from other modules are refused.
 */
import { cause, EsError } from './es-errors.js';

export type Flavor = 'default' | 'integ-test';

const INTEG_TEST_MODULES = ['apm', 'transport-netty4', 'x-pack-core', 'x-pack-security'];
const DEFAULT_MODULES = [
  'aggregations', 'analysis-common', 'apm', 'constant-keyword', 'data-streams', 'ingest-common', 'ingest-geoip',
  'ingest-user-agent', 'lang-mustache', 'lang-painless', 'mapper-extras', 'mapper-version', 'reindex', 'rest-root',
  'spatial', 'transport-netty4', 'unsigned-long', 'wildcard', 'x-pack-core', 'x-pack-security',
];

/** Mapper types outside the server's core, by the module that brings them (checked against the integ-test zip). */
const TYPE_MODULES: Readonly<Record<string, string>> = {
  constant_keyword: 'constant-keyword',
  wildcard: 'wildcard',
  match_only_text: 'mapper-extras',
  scaled_float: 'mapper-extras',
  search_as_you_type: 'mapper-extras',
  token_count: 'mapper-extras',
  rank_feature: 'mapper-extras',
  rank_features: 'mapper-extras',
  unsigned_long: 'unsigned-long',
  version: 'mapper-version',
  geo_shape: 'spatial',
  shape: 'spatial',
  point: 'spatial',
};

export function modulesOf(flavor: Flavor): string[] {
  return flavor === 'integ-test' ? INTEG_TEST_MODULES : DEFAULT_MODULES;
}

/** Whether a mapper type exists in this distribution. */
export function hasMapperType(flavor: Flavor, type: string): boolean {
  const module = TYPE_MODULES[type];
  return module === undefined || modulesOf(flavor).includes(module);
}

/**
 * The route's module is missing: 405 when other methods of the path still have a handler (`GET /`
 * leaves DELETE; 8.x keeps a POST under `_data_stream/{name}`), else 400 "no handler found"; the
 * `error` is a string then, not an object.
 */
export function missingHandler(method: string, uri: string, allowed: string | undefined): EsError {
  if (allowed === undefined) return new EsError(400, cause('', ''), {}, { error: `no handler found for uri [${uri}] and method [${method}]` });
  return new EsError(405, cause('', ''), {}, { error: `Incorrect HTTP method for uri [${uri}] and method [${method}], allowed: [${allowed}]`, status: 405 });
}
