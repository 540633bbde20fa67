/**
 * GeoIP2 City and GeoLite2 ASN test databases, shaped like MaxMind's own so the product's
 * lookups see the same records it would in production. 89.160.20.128/25 is the Linköping
 * network MaxMind uses in its published test databases.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGeoLookup } from '../../server/src/transform/index.js';
import type { GeoLookup } from '../../server/src/transform/types.js';
import { writeMmdb, type MmdbRecord } from './mmdb-writer.js';

const europe = { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } };
const sweden = { geoname_id: 2661886, iso_code: 'SE', names: { en: 'Sweden' } };
const norway = { geoname_id: 3144096, iso_code: 'NO', names: { en: 'Norway' } };
const northAmerica = { code: 'NA', geoname_id: 6255149, names: { en: 'North America' } };
const unitedStates = { geoname_id: 6252001, iso_code: 'US', names: { en: 'United States' } };
const asia = { code: 'AS', geoname_id: 6255147, names: { en: 'Asia' } };
const japan = { geoname_id: 1861060, iso_code: 'JP', names: { en: 'Japan' } };

export const CITY_RECORDS: MmdbRecord[] = [
  {
    network: '89.160.20.128/25',
    data: {
      city: { geoname_id: 2694762, names: { en: 'Linköping' } },
      continent: europe,
      country: sweden,
      location: { accuracy_radius: 76, latitude: 58.4167, longitude: 15.6167, time_zone: 'Europe/Stockholm' },
      registered_country: sweden,
      subdivisions: [{ geoname_id: 2685867, iso_code: 'E', names: { en: 'Östergötland County' } }],
    },
  },
  {
    // Country-level precision only, as MaxMind ships for many IPv6 ranges: no city or subdivisions.
    network: '2a02:cf40::/29',
    data: {
      continent: europe,
      country: norway,
      location: { accuracy_radius: 100, latitude: 62, longitude: 10, time_zone: 'Europe/Oslo' },
      registered_country: norway,
    },
  },
  {
    // A city with two subdivisions (only the first is written) and names in several languages.
    network: '216.160.83.56/29',
    data: {
      city: { geoname_id: 5803556, names: { en: 'Milton', ja: 'ミルトン' } },
      continent: northAmerica,
      country: unitedStates,
      location: { accuracy_radius: 22, latitude: 47.2513, longitude: -122.3149, time_zone: 'America/Los_Angeles' },
      registered_country: unitedStates,
      subdivisions: [{ geoname_id: 5815135, iso_code: 'WA', names: { en: 'Washington' } }, { geoname_id: 1, iso_code: 'XX', names: { en: 'Second' } }],
    },
  },
  {
    // IPv6 down to the city, a subdivision without an iso code.
    network: '2001:218::/32',
    data: {
      city: { geoname_id: 1850147, names: { en: 'Tokyo' } },
      continent: asia,
      country: japan,
      location: { accuracy_radius: 50, latitude: 35.6893, longitude: 139.6899, time_zone: 'Asia/Tokyo' },
      subdivisions: [{ geoname_id: 1850144, names: { en: 'Tokyo' } }],
    },
  },
  {
    // A country and nothing else: no continent, no location.
    network: '202.196.224.0/20',
    data: { country: { geoname_id: 1694008, iso_code: 'PH', names: { en: 'Philippines' } } },
  },
];

export const ASN_RECORDS: MmdbRecord[] = [
  { network: '89.160.0.0/17', data: { autonomous_system_number: 29518, autonomous_system_organization: 'Bredband2 AB' } },
  { network: '2a02:cf40::/29', data: { autonomous_system_number: 217070, autonomous_system_organization: 'Example Networks' } },
  { network: '216.160.83.56/29', data: { autonomous_system_number: 209 } },
  { network: '2001:218::/32', data: { autonomous_system_number: 2914, autonomous_system_organization: 'NTT America, Inc.' } },
];

/** Addresses for the GeoIP agreement test: in each network, at its edges, and in none. */
export const GEOIP_TEST_ADDRESSES = [
  '89.160.20.156', '89.160.20.128', '89.160.20.255', '89.160.20.127', '89.160.0.1', '216.160.83.56', '216.160.83.63',
  '216.160.83.64', '202.196.224.1', '2a02:cf40::1', '2a02:cf47:ffff:ffff:ffff:ffff:ffff:ffff', '2a02:cf48::1',
  '2001:218::1', '2001:218:ffff::abcd', '::ffff:89.160.20.156', '10.0.0.1', '127.0.0.1', '::1', '2001:db8::1', '8.8.8.8',
];

export async function writeTestGeoIpDatabases(dir: string): Promise<{ cityDb: string; asnDb: string }> {
  const cityDb = join(dir, 'GeoIP2-City-Test.mmdb');
  const asnDb = join(dir, 'GeoLite2-ASN-Test.mmdb');
  await writeMmdb(cityDb, CITY_RECORDS, {
    databaseType: 'GeoIP2-City',
    description: 'GeoIP2 City test database',
    languages: ['en'],
  });
  await writeMmdb(asnDb, ASN_RECORDS, {
    databaseType: 'GeoLite2-ASN',
    description: 'GeoLite2 ASN test database',
    languages: ['en'],
  });
  return { cityDb, asnDb };
}

/**
 * The same records under the names Elasticsearch 7.10's ingest-geoip module requires in its own
 * folder (GeoLite2-City, -ASN and -Country), for the parity oracle. A fixed build time keeps the
 * files identical from one assembly to the next.
 */
export async function writeGeoLite2Databases(dir: string): Promise<void> {
  const options = (databaseType: string) => ({ databaseType, languages: ['en'], buildEpoch: 1_600_000_000 });
  await writeMmdb(join(dir, 'GeoLite2-City.mmdb'), CITY_RECORDS, options('GeoLite2-City'));
  await writeMmdb(join(dir, 'GeoLite2-ASN.mmdb'), ASN_RECORDS, options('GeoLite2-ASN'));
  const countries = CITY_RECORDS.map(({ network, data }) => ({ network, data: { ...(data.continent ? { continent: data.continent } : {}), country: data.country! } }));
  await writeMmdb(join(dir, 'GeoLite2-Country.mmdb'), countries, options('GeoLite2-Country'));
  for (const name of ['City', 'ASN', 'Country']) await chmod(join(dir, `GeoLite2-${name}.mmdb`), 0o644);
}

/** A lookup over the test databases (the same records the oracle's ingest-geoip module reads); their files are gone once it is open. */
export async function testGeoLookup(): Promise<GeoLookup> {
  const dir = await mkdtemp(join(tmpdir(), 'mae-parity-geo-'));
  try {
    return (await openGeoLookup(await writeTestGeoIpDatabases(dir)))!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
