/** Exactly one item is primary when there are any: the one flagged, else the first. */
export function withOnePrimary<T extends { primary?: boolean }>(items: T[] | undefined): (T & { primary: boolean })[] {
  const list = items ?? [];
  const flagged = list.findIndex((item) => item.primary === true);
  const primaryIndex = flagged >= 0 ? flagged : 0;
  return list.map((item, index) => ({ ...item, primary: index === primaryIndex }));
}

/** Optional text where '' means "none". */
export function textOrNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

/** Tags as a set, in first-seen order. */
export function distinctTags(tags: string[] | undefined): string[] {
  return [...new Set(tags ?? [])];
}
