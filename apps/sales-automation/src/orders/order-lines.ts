import type { ContractIssue, OrderInput, OrderLine } from '@crm/contracts';
import type { PricedProduct } from '../products/product.repository';

export interface PricedOrder {
  lines: OrderLine[];
  subtotalMinor: number;
  discountMinor: number;
  totalMinor: number;
}

/**
 * The order's lines priced (a product's SKU, name and unit price are the defaults of its line)
 * and its totals, or every issue naming its field: a missing product, a product in another
 * currency, a line with no name or price, a discount above the line's gross, a sum past safe integers.
 */
export function priceOrder(
  order: Pick<OrderInput, 'currency' | 'lines'>,
  products: PricedProduct[],
): { ok: true; order: PricedOrder } | { ok: false; issues: ContractIssue[] } {
  const byId = new Map(products.map((p) => [p.id, p]));
  const issues: ContractIssue[] = [];
  const lines: OrderLine[] = [];
  order.lines.forEach((input, i) => {
    const path = `order.lines.${i}`;
    const product = input.productId ? byId.get(input.productId) : undefined;
    if (input.productId && !product) return issues.push({ path: `${path}.productId`, message: 'no such product in the catalogue' });
    if (product && product.currency !== order.currency) {
      return issues.push({ path: 'order.currency', message: `must be the currency of every line's product (line ${i} is priced in ${product.currency})` });
    }
    const name = input.name ?? product?.name;
    const unitPriceMinor = input.unitPriceMinor ?? (product ? Number(product.unit_price_minor) : undefined);
    if (name === undefined) return issues.push({ path: `${path}.name`, message: 'a line without a product needs a name' });
    if (unitPriceMinor === undefined) return issues.push({ path: `${path}.unitPriceMinor`, message: 'a line without a product needs a unit price' });
    const gross = input.quantity * unitPriceMinor;
    if (!Number.isSafeInteger(gross)) return issues.push({ path: `${path}.unitPriceMinor`, message: 'quantity × unit price is too large' });
    const discountMinor = input.discountMinor ?? 0;
    if (discountMinor > gross) return issues.push({ path: `${path}.discountMinor`, message: `must be at most the line's gross (${gross})` });
    lines.push({
      productId: input.productId ?? null,
      sku: input.sku ?? product?.sku ?? null,
      name,
      quantity: input.quantity,
      unitPriceMinor,
      discountMinor,
      totalMinor: gross - discountMinor,
    });
    return undefined;
  });
  if (issues.length) return { ok: false, issues };
  const subtotalMinor = lines.reduce((sum, l) => sum + l.quantity * l.unitPriceMinor, 0);
  const discountMinor = lines.reduce((sum, l) => sum + l.discountMinor, 0);
  if (!Number.isSafeInteger(subtotalMinor)) return { ok: false, issues: [{ path: 'order.lines', message: 'the order total is too large' }] };
  return { ok: true, order: { lines, subtotalMinor, discountMinor, totalMinor: subtotalMinor - discountMinor } };
}
