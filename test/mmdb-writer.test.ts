import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import maxmind, { Reader, type AsnResponse, type CityResponse, type Response } from 'maxmind';
import { writeTestGeoIpDatabases } from './support/geoip-fixtures.js';
import { buildMmdb, type MmdbRecord } from './support/mmdb-writer.js';

const LINKOPING = '89.160.20.130';

/** `T` describes the test's own record shape, which the reader's GeoIP-only `Response` type does not cover. */
function read<T extends object = Record<string, unknown>>(records: MmdbRecord[], recordSize?: 24 | 28 | 32): Reader<Response & T> {
  return new Reader<Response & T>(buildMmdb(records, { databaseType: 'Test', recordSize }));
}

describe('MaxMind DB writer, read back with the maxmind package', () => {
  let dir: string;
  let city: Reader<CityResponse>;
  let asn: Reader<AsnResponse>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmdb-writer-'));
    const { cityDb, asnDb } = await writeTestGeoIpDatabases(dir);
    city = await maxmind.open<CityResponse>(cityDb);
    asn = await maxmind.open<AsnResponse>(asnDb);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('finds the city of an IPv4 address in a written City database', () => {
    const result = city.get(LINKOPING);
    assert.equal(result?.city?.geoname_id, 2694762);
    assert.equal(result?.city?.names.en, 'Linköping');
    assert.deepEqual(result?.continent, { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } });
    assert.deepEqual(result?.country, { geoname_id: 2661886, iso_code: 'SE', names: { en: 'Sweden' } });
    assert.deepEqual(result?.registered_country, result?.country);
    assert.deepEqual(result?.location, {
      accuracy_radius: 76,
      latitude: 58.4167,
      longitude: 15.6167,
      time_zone: 'Europe/Stockholm',
    });
    assert.equal(result?.subdivisions?.[0]?.iso_code, 'E');
  });

  test('finds the ASN of an address', () => {
    const expected = { autonomous_system_number: 29518, autonomous_system_organization: 'Bredband2 AB' };
    assert.deepEqual(asn.get(LINKOPING), expected);
    assert.deepEqual(asn.get('89.160.0.1'), expected);
    assert.deepEqual(asn.get('89.160.127.255'), expected);
  });

  test('answers null for an address outside every network', () => {
    assert.equal(city.get('89.160.20.127'), null); // one below the /25
    assert.equal(city.get('1.1.1.1'), null);
    assert.equal(asn.get('89.160.128.0'), null); // one past the /17
    assert.equal(asn.get('2001:db8::1'), null);
  });

  test('finds IPv6 networks, with country-level data and no city', () => {
    const [result, prefixLength] = city.getWithPrefixLength('2a02:cf47:ffff::1');
    assert.equal(prefixLength, 29);
    assert.equal(result?.country?.iso_code, 'NO');
    assert.equal(result?.country?.names.en, 'Norway');
    assert.equal(result?.city, undefined);
    assert.deepEqual(asn.get('2a02:cf40::1'), {
      autonomous_system_number: 217070,
      autonomous_system_organization: 'Example Networks',
    });
    assert.equal(asn.get('2a02:cf48::1'), null); // just past the /29
  });

  test('finds IPv4 networks through their IPv4-mapped IPv6 form', () => {
    assert.equal(city.get(`::ffff:${LINKOPING}`)?.city?.names.en, 'Linköping');
    assert.equal(asn.get(`::${LINKOPING}`)?.autonomous_system_number, 29518);
  });

  test('round-trips UTF-8 names', () => {
    const result = city.get(LINKOPING);
    assert.equal(result?.city?.names.en, 'Linköping');
    assert.equal(result?.subdivisions?.[0]?.names.en, 'Östergötland County');
  });

  test('reports metadata as the reader sees it', () => {
    assert.equal(city.metadata.databaseType, 'GeoIP2-City');
    assert.equal(asn.metadata.databaseType, 'GeoLite2-ASN');
    assert.equal(city.metadata.ipVersion, 6);
    assert.equal(city.metadata.recordSize, 28);
    assert.equal(city.metadata.binaryFormatMajorVersion, 2);
    assert.equal(city.metadata.binaryFormatMinorVersion, 0);
    assert.deepEqual(city.metadata.languages, ['en']);
    assert.deepEqual(city.metadata.description as unknown, { en: 'GeoIP2 City test database' });
    assert.ok(Math.abs(city.metadata.buildEpoch.getTime() - Date.now()) < 60_000);
  });
});

describe('MaxMind DB writer, encoding details', () => {
  const linkoping: MmdbRecord = { network: '89.160.20.128/25', data: { city: 'Linköping' } };

  test('counts one node per bit down to each network, plus the ::ffff:0:0/96 alias branch', () => {
    // 96 + 25 nodes on the path to the /25. The alias path shares nodes at depths 0-80 (bit 80 is the
    // first set bit of ffff) and adds depths 81-95; its last record points at the ::/96 node.
    assert.equal(read([linkoping]).metadata.nodeCount, 121 + 15);
    // An IPv6-only database has no IPv4 subtree to alias: just the 29 nodes down to the /29.
    assert.equal(read([{ network: '2a02:cf40::/29', data: { x: 1 } }]).metadata.nodeCount, 29);
  });

  for (const recordSize of [24, 28, 32] as const) {
    test(`writes ${recordSize}-bit records the reader can follow`, () => {
      const reader = read<{ city: string }>([linkoping, { network: '2a02:cf40::/29', data: { city: 'Oslo' } }], recordSize);
      assert.equal(reader.metadata.recordSize, recordSize);
      assert.equal(reader.get(LINKOPING)?.city, 'Linköping');
      assert.equal(reader.get('2a02:cf40::1')?.city, 'Oslo');
      assert.equal(reader.get('10.0.0.1'), null);
    });
  }

  test('writes record values wider than 24 bits into 28-bit records, and refuses them in 24-bit ones', () => {
    // Two ~9 MB strings push the third record's data pointer past 2^24, into the shared nibble byte.
    const filler = (c: string): MmdbRecord['data'] => ({ blob: c.repeat(9_000_000) });
    const records: MmdbRecord[] = [
      { network: '192.0.2.0/25', data: filler('a') },
      { network: '192.0.2.128/25', data: filler('b') },
      { network: '198.51.100.0/24', data: { name: 'far' } },
    ];
    const reader = read<{ name: string; blob: string }>(records, 28);
    assert.equal(reader.get('198.51.100.7')?.name, 'far');
    assert.equal(reader.get('192.0.2.200')?.blob.length, 9_000_000);
    assert.throws(() => read(records, 24), /does not fit 24-bit records/);
  });

  test('lets a more specific network override its enclosing one, whatever the input order', () => {
    const wide: MmdbRecord = { network: '10.0.0.0/8', data: { n: 'wide' } };
    const narrow: MmdbRecord = { network: '10.1.0.0/16', data: { n: 'narrow' } };
    for (const records of [[wide, narrow], [narrow, wide]]) {
      const reader = read<{ n: string }>(records);
      assert.equal(reader.get('10.1.2.3')?.n, 'narrow');
      assert.equal(reader.get('10.2.0.1')?.n, 'wide');
      assert.equal(reader.get('10.0.255.255')?.n, 'wide');
    }
  });

  test('round-trips every value type it encodes', () => {
    const data = {
      zero: 0,
      u16: 65_535,
      u32: 4_294_967_295,
      negative: -1,
      int32Min: -2_147_483_648,
      double: -0.5,
      wholeLatitude: { latitude: 62, longitude: -10 },
      yes: true,
      no: false,
      empty: '',
      list: [1, 'two', [3.5], { four: 4 }],
      nested: { deeper: { deepest: 'ok' } },
    };
    assert.deepEqual(read([{ network: '192.0.2.0/24', data }]).get('192.0.2.1'), data);
  });

  test('stores whole-degree coordinates as doubles, as MaxMind\'s schema types them', () => {
    const db = buildMmdb([{ network: '192.0.2.0/24', data: { location: { latitude: 62, longitude: 10 } } }], {
      databaseType: 'Test',
    });
    // The reader hands back plain numbers either way, so look for the double's control byte + payload.
    const double = (n: number): Buffer => {
      const field = Buffer.alloc(9);
      field[0] = (3 << 5) | 8; // type 3 (double), 8 bytes
      field.writeDoubleBE(n, 1);
      return field;
    };
    assert.ok(db.includes(double(62)) && db.includes(double(10)));
  });

  test('round-trips strings that need each extended size encoding', () => {
    for (const length of [28, 29, 284, 285, 65_820, 65_821, 70_000]) {
      const text = 'é'.repeat(length / 2) + 'x'.repeat(length % 2); // 2-byte UTF-8, exact byte length
      const reader = read<{ text: string }>([{ network: '192.0.2.0/24', data: { text } }]);
      assert.equal(reader.get('192.0.2.1')?.text, text, `string of ${length} bytes`);
    }
  });

  test('rejects networks it cannot store faithfully', () => {
    assert.throws(() => buildMmdb([{ network: '89.160.20.130/25', data: {} }], { databaseType: 'T' }), /host bits/);
    assert.throws(() => buildMmdb([{ network: '89.160.20.0', data: {} }], { databaseType: 'T' }), /CIDR/);
    assert.throws(() => buildMmdb([{ network: '10.0.0.0/33', data: {} }], { databaseType: 'T' }), /too long/);
    assert.throws(() => buildMmdb([{ network: '10.0.0.0/8', data: { big: 2 ** 40 } }], { databaseType: 'T' }), /uint32/);
  });
});
