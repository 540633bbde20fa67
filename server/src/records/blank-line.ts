/** Blank lines (spaces, tabs, a CR) are framing between records, not records. */
export function isBlankLine(bytes: Uint8Array): boolean {
  return isBlankRange(bytes, 0, bytes.length);
}

/** The same test on bytes[start, end), for a line found in a chunk without a view of it. */
export function isBlankRange(bytes: Uint8Array, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const byte = bytes[at]!;
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

/** The same test on decoded text, for bodies that are split as a string. */
export function isBlankText(text: string): boolean {
  return /^[ \t\r]*$/.test(text);
}
