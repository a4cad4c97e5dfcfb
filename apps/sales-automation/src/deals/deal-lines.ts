import type { DealLine, dealLineInputSchema } from '@crm/contracts';
import type { z } from 'zod';
import { validationFailed } from './deal-errors';

/** Lines with their totals (quantity × unit price − discount); a discount above the line's price is refused, naming the field. */
export function dealLines(input: z.infer<typeof dealLineInputSchema>[] | undefined, field: string): DealLine[] {
  return (input ?? []).map((line, index) => {
    const gross = line.quantity * line.unitPriceMinor;
    if (!Number.isSafeInteger(gross)) throw validationFailed([{ path: `${field}.${index}.unitPriceMinor`, message: 'quantity × unit price is too large' }]);
    if (line.discountMinor > gross) throw validationFailed([{ path: `${field}.${index}.discountMinor`, message: 'must not exceed quantity × unit price' }]);
    return {
      productId: line.productId ?? null,
      sku: line.sku ?? null,
      name: line.name,
      quantity: line.quantity,
      unitPriceMinor: line.unitPriceMinor,
      discountMinor: line.discountMinor,
      totalMinor: gross - line.discountMinor,
    };
  });
}
