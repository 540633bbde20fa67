/**
 * What each leaf field type accepts, as Elasticsearch parses a value for it (coercion included).
 * A check answers undefined when the value is accepted, else the `caused_by` ES would report.
 */
import { isIP } from 'node:net';
import { cause, type ErrorCause } from './es-errors.js';

export type ValueCheck = (value: unknown) => ErrorCause | undefined;

export interface FieldType {
  /** Objects are values of this type (geo_point, ranges…), not a mapping contradiction. */
  acceptsObjects: boolean;
  /** An array of these is one value, not several (geo_point's [lon, lat]). */
  isArrayValue?: (value: readonly unknown[]) => boolean;
  check: ValueCheck;
}

export const KNOWN_TYPES: ReadonlySet<string> = new Set([
  'keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text', 'annotated_text', 'search_as_you_type', 'completion',
  'token_count', 'version', 'binary', 'boolean', 'ip', 'date', 'date_nanos', 'long', 'integer', 'short', 'byte', 'double',
  'float', 'half_float', 'scaled_float', 'unsigned_long', 'object', 'nested', 'flattened', 'alias', 'geo_point',
  'geo_shape', 'point', 'shape', 'dense_vector', 'sparse_vector', 'rank_feature', 'rank_features', 'histogram',
  'aggregate_metric_double', 'integer_range', 'long_range', 'float_range', 'double_range', 'date_range', 'ip_range',
  'join', 'percolator', 'semantic_text', 'counted_keyword', 'passthrough',
]);

/** Types whose value must be a scalar: an object there is a document_parsing_exception. */
const SCALAR_TYPES: ReadonlySet<string> = new Set([
  'keyword', 'constant_keyword', 'wildcard', 'text', 'match_only_text', 'annotated_text', 'search_as_you_type',
  'token_count', 'version', 'binary', 'boolean', 'ip', 'date', 'date_nanos', 'long', 'integer', 'short', 'byte',
  'double', 'float', 'half_float', 'scaled_float', 'unsigned_long', 'rank_feature',
]);

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const EPOCH = /^-?\d+(?:\.\d+)?$/;
const ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
const GEOHASH = /^[0-9b-hjkmnp-z]{1,12}$/;
const LAT_LON = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*(?:,\s*[+-]?\d+(?:\.\d+)?\s*)?$/;
const WKT_POINT = /^\s*POINT\s*\(\s*([+-]?\d+(?:\.\d+)?)\s+([+-]?\d+(?:\.\d+)?)(?:\s+[+-]?\d+(?:\.\d+)?)?\s*\)\s*$/i;

const INTEGER_RANGES: Record<string, [number, number]> = {
  long: [-9223372036854775808, 9223372036854775807],
  integer: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
  unsigned_long: [0, 18446744073709551615],
};

const accept: ValueCheck = () => undefined;

export function fieldType(type: string, def: Readonly<Record<string, unknown>>): FieldType {
  const acceptsObjects = !SCALAR_TYPES.has(type);
  const coerce = def.coerce !== false;
  const range = INTEGER_RANGES[type];
  if (range) return { acceptsObjects, check: integerCheck(type, range, coerce) };
  switch (type) {
    case 'double': case 'float': case 'half_float': case 'scaled_float':
      return { acceptsObjects, check: floatCheck(type, coerce) };
    case 'boolean':
      return { acceptsObjects, check: booleanCheck };
    case 'ip':
      return { acceptsObjects, check: ipCheck };
    case 'date': case 'date_nanos':
      return { acceptsObjects, check: dateCheck(typeof def.format === 'string' ? def.format : undefined) };
    case 'geo_point':
      return { acceptsObjects, isArrayValue: isCoordinatePair, check: geoPointCheck };
    default:
      return { acceptsObjects, check: accept };
  }
}

function integerCheck(type: string, [min, max]: [number, number], coerce: boolean): ValueCheck {
  return (value) => {
    const n = numberOf(value, coerce);
    if (n === undefined) return notNumeric(value);
    if (!coerce && !Number.isInteger(n)) return cause('illegal_argument_exception', `Value [${String(value)}] has a decimal part`);
    const whole = Math.trunc(n);
    if (whole < min || whole > max) return cause('illegal_argument_exception', `Value [${String(value)}] is out of range for ${type === 'long' ? 'a long' : `an ${type}`}`);
    return undefined;
  };
}

function floatCheck(type: string, coerce: boolean): ValueCheck {
  return (value) => {
    const n = numberOf(value, coerce);
    if (n === undefined) return notNumeric(value);
    if (!Number.isFinite(n)) return cause('illegal_argument_exception', `[${type}] supports only finite values, but got [${String(value)}]`);
    return undefined;
  };
}

function numberOf(value: unknown, coerce: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && coerce) {
    const trimmed = value.trim();
    return NUMERIC.test(trimmed) ? Number(trimmed) : undefined;
  }
  return undefined;
}

function notNumeric(value: unknown): ErrorCause {
  if (typeof value === 'boolean') return cause('x_content_parse_exception', `Current token (VALUE_${value ? 'TRUE' : 'FALSE'}) not numeric, can not use numeric value accessors`);
  return cause('number_format_exception', `For input string: "${String(value)}"`);
}

const booleanCheck: ValueCheck = (value) => {
  if (typeof value === 'boolean' || value === 'true' || value === 'false' || value === '') return undefined;
  return cause('illegal_argument_exception', `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`);
};

const ipCheck: ValueCheck = (value) => {
  if (typeof value === 'string' && isIP(value) !== 0) return undefined;
  return cause('illegal_argument_exception', `'${String(value)}' is not an IP string literal.`);
};

const NAMED_FORMATS: Record<string, 'iso' | 'epoch'> = {
  strict_date_optional_time: 'iso', date_optional_time: 'iso', strict_date_optional_time_nanos: 'iso',
  strict_date_time: 'iso', date_time: 'iso', strict_date_time_no_millis: 'iso', date_time_no_millis: 'iso',
  strict_date: 'iso', date: 'iso', epoch_millis: 'epoch', epoch_second: 'epoch',
};

/** Named ISO and epoch formats are checked; a custom pattern (yyyy-MM-dd HH:mm…) is taken on trust. */
function dateCheck(format = 'strict_date_optional_time||epoch_millis'): ValueCheck {
  const kinds = format.split('||').map((f) => NAMED_FORMATS[f.trim()]);
  if (kinds.some((kind) => kind === undefined)) return (value) => (typeof value === 'boolean' ? dateFailure(value, format) : undefined);
  const iso = kinds.includes('iso');
  const epoch = kinds.includes('epoch');
  return (value) => {
    if (typeof value === 'number' && epoch && Number.isFinite(value)) return undefined;
    if (typeof value === 'string' && ((iso && isIsoDate(value)) || (epoch && EPOCH.test(value)))) return undefined;
    return dateFailure(value, format);
  };
}

function dateFailure(value: unknown, format: string): ErrorCause {
  const detail = format.includes('||') ? 'Failed to parse with all enclosed parsers' : `Text '${String(value)}' could not be parsed at index 0`;
  return cause('illegal_argument_exception', `failed to parse date field [${String(value)}] with format [${format}]`, {
    caused_by: cause('date_time_parse_exception', detail),
  });
}

function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  return within(m[2], 1, 12) && within(m[3], 1, 31) && within(m[4], 0, 23) && within(m[5], 0, 59) && within(m[6], 0, 59);
}

function within(part: string | undefined, low: number, high: number): boolean {
  return part === undefined || (Number(part) >= low && Number(part) <= high);
}

function isCoordinatePair(value: readonly unknown[]): boolean {
  return (value.length === 2 || value.length === 3) && value.every((v) => typeof v === 'number');
}

const geoPointCheck: ValueCheck = (value) => {
  if (Array.isArray(value)) return isCoordinatePair(value) ? latLon(value[1], value[0]) : geoFailure(value);
  if (typeof value === 'string') {
    const pair = LAT_LON.exec(value);
    if (pair) return latLon(pair[1], pair[2]);
    const wkt = WKT_POINT.exec(value);
    if (wkt) return latLon(wkt[2], wkt[1]);
    return GEOHASH.test(value) ? undefined : geoFailure(value);
  }
  if (value !== null && typeof value === 'object') {
    const point = value as Record<string, unknown>;
    if ('lat' in point || 'lon' in point) return latLon(point.lat, point.lon);
    if (point.type === 'Point' && Array.isArray(point.coordinates) && isCoordinatePair(point.coordinates)) {
      return latLon(point.coordinates[1], point.coordinates[0]);
    }
  }
  return geoFailure(value);
};

function latLon(lat: unknown, lon: unknown): ErrorCause | undefined {
  const la = numberOf(lat, true);
  const lo = numberOf(lon, true);
  if (la === undefined || lo === undefined) return cause('illegal_argument_exception', 'field [lat] and [lon] must be valid numbers');
  if (la < -90 || la > 90) return cause('illegal_argument_exception', `illegal latitude value [${la}]`);
  if (lo < -180 || lo > 180) return cause('illegal_argument_exception', `illegal longitude value [${lo}]`);
  return undefined;
}

function geoFailure(value: unknown): ErrorCause {
  return cause('illegal_argument_exception', `failed to parse geo_point from [${JSON.stringify(value)}]`);
}
