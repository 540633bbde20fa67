/**
 * Minimal MaxMind DB (format 2.0) writer, so tests can exercise the real `maxmind`
 * reader against databases we control. Spec: https://maxmind.github.io/MaxMind-DB/
 *
 * Layout: [search tree][16 zero bytes][data section]["\xAB\xCD\xEFMaxMind.com"][metadata map]
 */
import { writeFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';

export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };
export interface MmdbRecord {
  /** CIDR, IPv4 ('89.160.20.128/25') or IPv6 ('2001:db8::/32'). */
  network: string;
  data: { [key: string]: MmdbValue };
}
export interface MmdbOptions {
  databaseType: string;
  description?: string;
  languages?: string[];
  ipVersion?: 6;
  recordSize?: 24 | 28 | 32;
  /** Seconds since the epoch; defaults to now. Fixed values make output byte-for-byte reproducible. */
  buildEpoch?: number;
}

const DATA_SECTION_SEPARATOR = Buffer.alloc(16);
const METADATA_MARKER = Buffer.concat([Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com', 'ascii')]);

// Type numbers from the spec's data section; those above 7 are "extended" and need a second byte.
const T = { string: 2, double: 3, uint16: 5, uint32: 6, map: 7, int32: 8, uint64: 9, array: 11, boolean: 14 } as const;

// MaxMind's schema types coordinates as double. JS cannot tell 62 from 62.0, so without this a
// whole-degree coordinate would be stored as uint16, which typed readers (Go, Python) reject.
const DOUBLE_KEYS = new Set(['latitude', 'longitude']);

// ---------------------------------------------------------------- data section encoding

function controlBytes(type: number, size: number): Buffer {
  let sizeBits: number;
  let extra: number[];
  if (size < 29) [sizeBits, extra] = [size, []];
  else if (size < 285) [sizeBits, extra] = [29, [size - 29]];
  else if (size < 65_821) [sizeBits, extra] = [30, bigEndian(size - 285, 2)];
  else if (size < 65_821 + 2 ** 24) [sizeBits, extra] = [31, bigEndian(size - 65_821, 3)];
  else throw new RangeError(`mmdb: field of ${size} bytes is too large`);
  // The extended-type byte sits between the control byte and the size bytes.
  const head = type <= 7 ? [(type << 5) | sizeBits] : [sizeBits, type - 7];
  return Buffer.from([...head, ...extra]);
}

function bigEndian(value: number, bytes: number): number[] {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Math.floor(value / 256 ** i) % 256);
  return out;
}

/** Unsigned ints are stored in as few bytes as the value needs (zero bytes for 0). */
function encodeUint(type: number, value: number | bigint): Buffer {
  let v = BigInt(value);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.concat([controlBytes(type, bytes.length), Buffer.from(bytes)]);
}

function encodeString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([controlBytes(T.string, bytes.length), bytes]);
}

function encodeDouble(value: number): Buffer {
  const payload = Buffer.alloc(8);
  payload.writeDoubleBE(value);
  return Buffer.concat([controlBytes(T.double, 8), payload]);
}

function encodeNumber(value: number): Buffer {
  if (!Number.isInteger(value)) return encodeDouble(value);
  if (value >= 0 && value <= 0xffff) return encodeUint(T.uint16, value);
  if (value >= 0 && value <= 0xffff_ffff) return encodeUint(T.uint32, value);
  if (value < 0 && value >= -(2 ** 31)) {
    // Always 4 bytes: a shorter int32 is read back unsigned, losing the sign.
    const payload = Buffer.alloc(4);
    payload.writeInt32BE(value);
    return Buffer.concat([controlBytes(T.int32, 4), payload]);
  }
  // uint64 would come back from the reader as a bigint, silently changing the value's JS type.
  throw new RangeError(`mmdb: integer ${value} is outside uint32/int32; use a fractional value for a double`);
}

function encodeMap(entries: [string, Buffer][]): Buffer {
  const parts = [controlBytes(T.map, entries.length)];
  for (const [key, value] of entries) parts.push(encodeString(key), value);
  return Buffer.concat(parts);
}

function encodeValue(value: MmdbValue, key?: string): Buffer {
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'boolean') return controlBytes(T.boolean, value ? 1 : 0);
  if (typeof value === 'number') {
    return key !== undefined && DOUBLE_KEYS.has(key) ? encodeDouble(value) : encodeNumber(value);
  }
  if (Array.isArray(value)) {
    return Buffer.concat([controlBytes(T.array, value.length), ...value.map((item) => encodeValue(item))]);
  }
  return encodeMap(Object.entries(value).map(([k, v]): [string, Buffer] => [k, encodeValue(v, k)]));
}

// ---------------------------------------------------------------- networks

/** Returns the network as 16 bytes of an IPv6 address; IPv4 goes to ::a.b.c.d, where readers start IPv4 lookups. */
function parseNetwork(cidr: string): { address: Uint8Array; prefixLength: number } {
  const [ip, prefixText, ...rest] = cidr.split('/');
  if (ip === undefined || prefixText === undefined || rest.length > 0 || !/^\d+$/.test(prefixText)) {
    throw new Error(`mmdb: network ${JSON.stringify(cidr)} is not in CIDR notation`);
  }
  let prefixLength = Number(prefixText);
  const address = new Uint8Array(16);
  if (isIPv4(ip)) {
    if (prefixLength > 32) throw new Error(`mmdb: prefix /${prefixLength} too long for IPv4 in ${cidr}`);
    address.set(ip.split('.').map(Number), 12);
    prefixLength += 96;
  } else if (isIPv6(ip) && !ip.includes('%')) {
    if (prefixLength > 128) throw new Error(`mmdb: prefix /${prefixLength} too long for IPv6 in ${cidr}`);
    ipv6Groups(ip).forEach((group, i) => address.set([group >> 8, group & 0xff], i * 2));
  } else {
    throw new Error(`mmdb: ${JSON.stringify(ip)} in ${cidr} is not an IP address`);
  }
  if (prefixLength === 0) throw new Error('mmdb: a network covering the whole address space cannot be stored in a tree');
  for (let bit = prefixLength; bit < 128; bit++) {
    // Host bits usually mean a typo in a fixture; masking them quietly would hide it.
    if (bitAt(address, bit)) throw new Error(`mmdb: ${cidr} has host bits set`);
  }
  return { address, prefixLength };
}

function ipv6Groups(ip: string): number[] {
  const expand = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = g.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = ip.split('::');
  if (tail === undefined) return expand(head);
  const left = expand(head);
  const right = expand(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function bitAt(address: Uint8Array, index: number): 0 | 1 {
  return (((address[index >> 3] ?? 0) >> (7 - (index & 7))) & 1) as 0 | 1;
}

// ---------------------------------------------------------------- search tree

/** A slot holds a child node, a data-section offset, or nothing (no data for that range). */
type Slot = TreeNode | number | undefined;
class TreeNode {
  readonly slots: [Slot, Slot];
  constructor(fill?: number) {
    this.slots = [fill, fill];
  }
}

function insert(root: TreeNode, address: Uint8Array, prefixLength: number, dataOffset: number): void {
  let node = root;
  for (let depth = 0; depth < prefixLength - 1; depth++) {
    const bit = bitAt(address, depth);
    const child = node.slots[bit];
    if (child instanceof TreeNode) {
      node = child;
    } else {
      // Splitting an enclosing network: both halves keep its data until a longer prefix overrides one.
      const split = new TreeNode(child);
      node.slots[bit] = split;
      node = split;
    }
  }
  node.slots[bitAt(address, prefixLength - 1)] = dataOffset;
}

/**
 * Real MaxMind databases make ::ffff:0:0/96 lead to the same subtree as ::/96, so IPv4-mapped
 * addresses (what Node reports for IPv4 clients on dual-stack sockets) resolve too.
 */
function aliasIpv4Mapped(root: TreeNode): void {
  let ipv4Root: Slot = root;
  for (let depth = 0; depth < 96 && ipv4Root instanceof TreeNode; depth++) ipv4Root = ipv4Root.slots[0];
  if (!(ipv4Root instanceof TreeNode)) return;
  const mapped = parseNetwork('::ffff:0:0/96').address;
  let node = root;
  for (let depth = 0; depth < 95; depth++) {
    const bit = bitAt(mapped, depth);
    const child = node.slots[bit];
    if (typeof child === 'number') return; // a record already covers the mapped range; leave it alone
    node = child ?? (node.slots[bit] = new TreeNode());
  }
  if (node.slots[1] === undefined) node.slots[1] = ipv4Root;
}

function numberNodes(root: TreeNode): TreeNode[] {
  // Breadth-first with a seen-set: the alias makes the tree a DAG, and every node must be written once.
  const order: TreeNode[] = [root];
  const seen = new Set(order);
  for (let i = 0; i < order.length; i++) {
    for (const child of order[i]!.slots) {
      if (child instanceof TreeNode && !seen.has(child)) {
        seen.add(child);
        order.push(child);
      }
    }
  }
  return order;
}

function writeNode(out: Buffer, offset: number, recordSize: 24 | 28 | 32, left: number, right: number): void {
  if (recordSize === 24) {
    out.writeUIntBE(left, offset, 3);
    out.writeUIntBE(right, offset + 3, 3);
  } else if (recordSize === 32) {
    out.writeUInt32BE(left, offset);
    out.writeUInt32BE(right, offset + 4);
  } else {
    // 28-bit records share the middle byte: high nibble = left's top 4 bits, low nibble = right's.
    out.writeUIntBE(left & 0xff_ffff, offset, 3);
    out[offset + 3] = ((left >>> 24) << 4) | (right >>> 24);
    out.writeUIntBE(right & 0xff_ffff, offset + 4, 3);
  }
}

// ---------------------------------------------------------------- public API

export function buildMmdb(records: MmdbRecord[], options: MmdbOptions): Buffer {
  const recordSize = options.recordSize ?? 28;
  if (![24, 28, 32].includes(recordSize)) throw new Error(`mmdb: unsupported record size ${String(recordSize)}`);
  if ((options.ipVersion ?? 6) !== 6) throw new Error('mmdb: only ip_version 6 trees are supported');

  const dataParts: Buffer[] = [];
  let dataLength = 0;
  const offsetsByContent = new Map<string, number>(); // networks sharing data share one copy
  const parsed = records.map((record) => {
    const encoded = encodeValue(record.data);
    const content = encoded.toString('latin1');
    let offset = offsetsByContent.get(content);
    if (offset === undefined) {
      offset = dataLength;
      offsetsByContent.set(content, offset);
      dataParts.push(encoded);
      dataLength += encoded.length;
    }
    return { ...parseNetwork(record.network), offset };
  });

  const root = new TreeNode();
  // Shorter prefixes first, so a more specific network always carves into its enclosing one.
  for (const { address, prefixLength, offset } of [...parsed].sort((a, b) => a.prefixLength - b.prefixLength)) {
    insert(root, address, prefixLength, offset);
  }
  aliasIpv4Mapped(root);

  const nodes = numberNodes(root);
  const nodeCount = nodes.length;
  const ids = new Map(nodes.map((node, i) => [node, i]));
  const recordValue = (slot: Slot): number => {
    const value =
      slot instanceof TreeNode ? ids.get(slot)! : slot === undefined ? nodeCount : nodeCount + DATA_SECTION_SEPARATOR.length + slot;
    if (value >= 2 ** recordSize) throw new RangeError(`mmdb: record value ${value} does not fit ${recordSize}-bit records`);
    return value;
  };
  const nodeBytes = recordSize / 4;
  const tree = Buffer.alloc(nodeCount * nodeBytes);
  nodes.forEach((node, i) => writeNode(tree, i * nodeBytes, recordSize, recordValue(node.slots[0]), recordValue(node.slots[1])));

  const languages = options.languages ?? ['en'];
  const metadata = encodeMap([
    ['node_count', encodeUint(T.uint32, nodeCount)],
    ['record_size', encodeUint(T.uint16, recordSize)],
    ['ip_version', encodeUint(T.uint16, 6)],
    ['database_type', encodeString(options.databaseType)],
    ['languages', encodeValue(languages)],
    ['binary_format_major_version', encodeUint(T.uint16, 2)],
    ['binary_format_minor_version', encodeUint(T.uint16, 0)],
    ['build_epoch', encodeUint(T.uint64, options.buildEpoch ?? Math.floor(Date.now() / 1000))],
    ['description', encodeValue({ en: options.description ?? `${options.databaseType} test database` })],
  ]);

  return Buffer.concat([tree, DATA_SECTION_SEPARATOR, ...dataParts, METADATA_MARKER, metadata]);
}

export async function writeMmdb(path: string, records: MmdbRecord[], options: MmdbOptions): Promise<void> {
  await writeFile(path, buildMmdb(records, options));
}
