import { validationFailed } from '../shared/errors';

/** A select field needs its options (distinct); other types have none. */
export function checkOptions(type: string, options: string[] | undefined, path: string): string[] {
  if (type !== 'select') {
    if (options?.length) throw validationFailed([{ path, message: `only select fields have options, not ${type} fields` }]);
    return [];
  }
  const distinct = [...new Set(options ?? [])];
  if (distinct.length === 0) throw validationFailed([{ path, message: 'a select field needs at least one option' }]);
  return distinct;
}
