/**
 * GeoIP2 City and GeoLite2 ASN test databases, shaped like MaxMind's own so the product's
 * lookups see the same records it would in production. 89.160.20.128/25 is the Linköping
 * network MaxMind uses in its published test databases.
 */
import { join } from 'node:path';
import { writeMmdb, type MmdbRecord } from './mmdb-writer.js';

const europe = { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } };
const sweden = { geoname_id: 2661886, iso_code: 'SE', names: { en: 'Sweden' } };
const norway = { geoname_id: 3144096, iso_code: 'NO', names: { en: 'Norway' } };

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
];

export const ASN_RECORDS: MmdbRecord[] = [
  { network: '89.160.0.0/17', data: { autonomous_system_number: 29518, autonomous_system_organization: 'Bredband2 AB' } },
  { network: '2a02:cf40::/29', data: { autonomous_system_number: 217070, autonomous_system_organization: 'Example Networks' } },
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
  const countries = CITY_RECORDS.map(({ network, data }) => ({ network, data: { continent: data.continent!, country: data.country! } }));
  await writeMmdb(join(dir, 'GeoLite2-Country.mmdb'), countries, options('GeoLite2-Country'));
}
