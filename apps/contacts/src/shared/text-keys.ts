/**
 * Keys the service writes next to the text they come from, so that search and sorting compare
 * like with like: lower case, accents removed (é -> e), runs of white space collapsed.
 */
export function textKey(value: string | null | undefined): string {
  return (value ?? '').normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A phone number's digits: what matching and search compare. */
export function phoneDigits(number: string): string {
  return number.replace(/\D/g, '');
}
