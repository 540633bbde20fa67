import { RememberedAnswers } from './remembered-answers.js';

/**
 * Whether Elasticsearch takes a string for an IP address (its InetAddresses.isInetAddress, which
 * the convert processor's `ip` type asks): ASCII only; IPv4 as four decimal octets without leading
 * zeros; IPv6 with one `::` at most and hextets up to 0xffff (their digit count is not limited), an
 * IPv4 tail allowed; a scope id after `%` is ignored, for IPv4 too, but may not be empty. Node's
 * net.isIP differs in each of the last three. Octets and hextets add up in Java ints, overflow
 * included (`| 0`), so that absurdly long ones are judged as Elasticsearch judges them.
 */
export function isInetAddress(text: string): boolean {
  return inetAddresses.answer(text);
}

/** Addresses of a usual length: Elasticsearch's address rules took about 170 ns a line, a lookup 20. */
const inetAddresses = new RememberedAnswers(readInetAddress, { entries: 10_000, longestKey: 64 });

/** isInetAddress, read without the memory of earlier answers. */
function readInetAddress(text: string): boolean {
  let length = text.length;
  let lastColon = -1;
  let hasDot = false;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return false;
    if (code === 0x2e) hasDot = true;
    else if (code === 0x3a) {
      if (hasDot) return false;
      lastColon = i;
    } else if (code === 0x25) {
      if (i === length - 1) return false;
      length = i;
    }
  }
  const address = length === text.length ? text : text.slice(0, length);
  if (lastColon >= 0) {
    if (!hasDot) return isIpv6(address);
    const tail = address.slice(lastColon + 1);
    if (!isIpv4(tail)) return false;
    const quad = tail.split('.').map(Number);
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    return isIpv6(`${address.slice(0, lastColon + 1)}${hex(quad[0]!, quad[1]!)}:${hex(quad[2]!, quad[3]!)}`);
  }
  return hasDot && isIpv4(address);
}

/** Four decimal octets, each at most 255 and without a leading zero. */
function isIpv4(text: string): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i === text.length ? 0x2e : text.charCodeAt(i);
    if (code === 0x2e) {
      if (digits === 0 || value > 255 || octets === 4) return false;
      octets++;
      value = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39) {
      if (digits > 0 && value === 0) return false; // a leading zero
      value = (Math.imul(value, 10) + code - 0x30) | 0;
      digits++;
    } else {
      return false;
    }
  }
  return octets === 4;
}

function isIpv6(text: string): boolean {
  const n = text.length;
  if (n < 2) return false;
  if (text.charCodeAt(0) === 0x3a && text.charCodeAt(1) !== 0x3a) return false;
  if (text.charCodeAt(n - 1) === 0x3a && text.charCodeAt(n - 2) !== 0x3a) return false;
  let compressed = false;
  let hextets = 0;
  let start = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a) {
      if (start === i) {
        // A second colon in a row; only the leading `::` may be seen twice.
        if (compressed && i !== 1) return false;
        compressed = true;
      } else {
        if (hextets === 8 || value > 0xffff) return false;
        hextets++;
        value = 0;
      }
      start = i + 1;
    } else {
      const digit = hexDigit(code);
      if (digit < 0) return false;
      value = (Math.imul(value, 16) + digit) | 0;
    }
  }
  if (start < n) {
    if (hextets === 8 || value > 0xffff) return false;
    hextets++;
  }
  return compressed ? hextets < 8 : hextets === 8;
}

function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}
