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
  // Above SMALL, the digits before the last nine first (fewer than 2^31 of them for a safe integer).
  const high = value < SMALL ? 0 : Math.floor(value / 1e9);
  let low = value < SMALL ? value : value - high * 1e9;
  let end = high === 0 ? at : writeDecimalDigits(into, at, high);
  let digits = 1;
  for (let rest = low; rest >= 10; rest = (rest / 10) | 0) digits++;
  // After the top digits, the low part takes all nine places (leading zeros).
  if (high !== 0) digits = 9;
  end += digits;
  for (let i = end - 1; i >= end - digits; i--) {
    into[i] = 48 + (low % 10);
    low = (low / 10) | 0;
  }
  return end;
}
