/** ES-style name patterns: `*` matches any run of characters, everything else literally. */

const cache = new Map<string, (name: string) => boolean>();

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*');
}

export function wildcardMatcher(pattern: string): (name: string) => boolean {
  let matcher = cache.get(pattern);
  if (!matcher) {
    if (!hasWildcard(pattern)) {
      matcher = (name) => name === pattern;
    } else {
      const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      const regex = new RegExp(`^${source}$`, 's');
      matcher = (name) => regex.test(name);
    }
    cache.set(pattern, matcher);
  }
  return matcher;
}
