/**
 * source.geo.* and source.as.* from MaxMind City/ASN databases, with the properties Elastic's
 * geoip processor writes by default. Lookups are cached: audit logs repeat few addresses.
 */
import { LRUCache } from 'lru-cache';
import maxmind, { type AsnResponse, type CityResponse, type Reader } from 'maxmind';
import type { GeoLookup, GeoResult, JsonObject } from './types.js';

export interface GeoDatabases {
  cityDb?: string;
  asnDb?: string;
}

export class GeoDatabaseError extends Error {
  override readonly name = 'GeoDatabaseError';
  constructor(readonly path: string, cause: unknown) {
    super(`cannot open GeoIP database ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Opens the configured databases; undefined when none is configured. */
export async function openGeoLookup(databases: GeoDatabases): Promise<GeoLookup | undefined> {
  const city = databases.cityDb ? await openReader<CityResponse>(databases.cityDb) : undefined;
  const asn = databases.asnDb ? await openReader<AsnResponse>(databases.asnDb) : undefined;
  if (!city && !asn) return undefined;
  const cache = new LRUCache<string, GeoResult>({ max: 10_000 });
  return (ip: string) => {
    let result = cache.get(ip);
    if (result === undefined) {
      result = { geo: city && cityFields(city.get(ip)), as: asn && asnFields(asn.get(ip)) };
      cache.set(ip, result);
    }
    return result;
  };
}

async function openReader<T extends CityResponse | AsnResponse>(path: string): Promise<Reader<T>> {
  try {
    // watchForUpdates stays off: a reload mid-batch would make documents of one batch disagree.
    return await maxmind.open<T>(path);
  } catch (error) {
    throw new GeoDatabaseError(path, error);
  }
}

function cityFields(city: CityResponse | null): JsonObject | undefined {
  if (!city) return undefined;
  // The most specific subdivision, as Elastic's geoip processor takes it: MaxMind lists them from the largest.
  const subdivision = city.subdivisions?.[city.subdivisions.length - 1];
  const fields: JsonObject = {
    continent_name: city.continent?.names?.en,
    country_iso_code: city.country?.iso_code,
    country_name: city.country?.names?.en,
    region_iso_code: subdivision?.iso_code && city.country?.iso_code ? `${city.country.iso_code}-${subdivision.iso_code}` : undefined,
    region_name: subdivision?.names?.en,
    city_name: city.city?.names?.en,
  };
  const { latitude, longitude } = city.location ?? {};
  if (latitude !== undefined && longitude !== undefined) fields.location = { lat: latitude, lon: longitude };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return Object.keys(fields).length > 0 ? fields : undefined;
}

function asnFields(asn: AsnResponse | null): JsonObject | undefined {
  if (!asn) return undefined;
  const fields: JsonObject = {};
  if (asn.autonomous_system_number !== undefined) fields.number = asn.autonomous_system_number;
  if (asn.autonomous_system_organization) fields.organization = { name: asn.autonomous_system_organization };
  return Object.keys(fields).length > 0 ? fields : undefined;
}
