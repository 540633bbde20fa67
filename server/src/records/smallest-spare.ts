/**
 * The spare memory a pool hands out (the transform threads' batch buffers, the file input's line
 * blocks): the smallest of `spares` that holds `bytes`, taken out of the list, so that a bigger one
 * stays for a bigger need; undefined when none is that big.
 */
export function takeSmallestSpare<T extends { byteLength: number }>(spares: T[], bytes: number): T | undefined {
  let best = -1;
  spares.forEach((spare, i) => {
    if (spare.byteLength >= bytes && (best === -1 || spare.byteLength < spares[best]!.byteLength)) best = i;
  });
  return best === -1 ? undefined : spares.splice(best, 1)[0];
}
