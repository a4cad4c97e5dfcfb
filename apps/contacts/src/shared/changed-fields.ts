import { isDeepStrictEqual } from 'node:util';

/** The patched fields whose value really changed (what `*.updated` events list as `changed`). */
export function changedFields<T extends object>(before: T, after: T, patch: object): string[] {
  return Object.keys(patch).filter((key) => key in after && !isDeepStrictEqual(before[key as keyof T], after[key as keyof T]));
}
