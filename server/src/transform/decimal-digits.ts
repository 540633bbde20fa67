/**
 * The decimal text of a safe integer ≥ 0 (a file offset) written as bytes, as String() writes it:
 * the transform writes one or two such numbers for every record, and String() then a copy of its
 * characters cost more than the digits themselves.
 */

/** Whether writeDecimalDigits writes the number: a safe integer ≥ 0. */
export function isDecimalInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/** The most digits of a safe integer. */
export const MAX_DECIMAL_DIGITS = 16;

/** Below this, the digits are read in 32-bit integers: a double's division by 10 costs as much as String(). */
const SMALL = 2 ** 31;

/** The digits of `value` (isDecimalInteger) at `at`; returns where they end. */
export function writeDecimalDigits(into: Uint8Array, at: number, value: number): number {
  if (value >= SMALL) {
    // The digits before the last nine first (fewer than SMALL of them for a safe integer), then all nine, leading zeros included.
    const high = Math.floor(value / 1e9);
    return writeLastDigits(into, writeDecimalDigits(into, at, high), value - high * 1e9, 9);
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
  return writeLastDigits(into, at, value, digits);
}

/** The last `digits` digits of `value` (below SMALL) at `at`, leading zeros included; returns where they end. */
function writeLastDigits(into: Uint8Array, at: number, value: number, digits: number): number {
  let rest = value;
  for (let i = at + digits - 1; i >= at; i--) {
    into[i] = 48 + (rest % 10);
    rest = (rest / 10) | 0;
  }
  return at + digits;
}
