/** Blank lines (spaces, tabs, a CR) are framing between records, not records. */
export function isBlankLine(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}

/** The same test on decoded text, for bodies that are split as a string. */
export function isBlankText(text: string): boolean {
  return /^[ \t\r]*$/.test(text);
}
