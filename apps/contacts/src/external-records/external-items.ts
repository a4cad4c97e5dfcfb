import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, ExternalItem, ExternalItemResult, fieldErrorsOf } from '@crm/contracts';
import { failedItem, REPEATED_EXTERNAL_ID, repeatedIndexes, resultOf } from '@crm/service-kit';
import type { z } from 'zod';
import { CustomFieldValues, CustomFieldValuesValidator } from '../custom-fields/custom-field-values.validator';
import { CustomFieldEntity, CustomFieldRepository } from '../custom-fields/custom-field.repository';

/** An item that failed alone: its error, and the fields (their path in the item) that made it fail. */
export class ItemFailure {
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly fields?: { field: string; message: string }[],
  ) {}

  static invalid(fields: { field: string; message: string }[]): ItemFailure {
    return new ItemFailure('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), fields);
  }
}

/** The item's result: its external id and line echoed, with the outcome. */
export function itemResult(
  item: Pick<ExternalItem, 'externalId' | 'line'>,
  outcome: ExternalItemResult['outcome'],
  extra: Partial<ExternalItemResult> = {},
): ExternalItemResult {
  return { ...resultOf(item), outcome, ...extra };
}

export function failedResult(item: Pick<ExternalItem, 'externalId' | 'line'>, failure: ItemFailure, id?: string): ExternalItemResult {
  return failedItem(item, failure.code, failure.message, failure.fields, id);
}

/** The second and later items of an external id fail: a batch says once what a record becomes. */
export const repeatedItems = repeatedIndexes;

export const REPEATED = ItemFailure.invalid([REPEATED_EXTERNAL_ID]);

/** A record checked by the single write's schema; problems named by their path in the item (`record.emails.0.address`). */
export function parseRecord<S extends z.ZodType>(schema: S, record: unknown): z.infer<S> | ItemFailure {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  return ItemFailure.invalid(parsed.error.issues.map((issue) => ({ field: ['record', ...issue.path.map(String)].join('.'), message: issue.message })));
}

/**
 * Field ownership on update: the CRM-owned fields of `input` are taken out; those whose value
 * differs from the stored one (`differs`) are reported as conflicts. `customFields.<key>` owns
 * one custom field, `customFields` all of them.
 */
export function withoutOwnedFields<T extends Record<string, unknown>>(
  input: T,
  owned: string[],
  differs: (field: string, incoming: unknown) => boolean,
  storedCustomFields: Record<string, unknown>,
): { input: T; conflicts: { field: string; incoming: unknown }[] } {
  const rest: Record<string, unknown> = { ...input };
  const conflicts: { field: string; incoming: unknown }[] = [];
  for (const field of owned) {
    const [head, key] = field.split('.', 2);
    if (head === 'customFields' && key !== undefined) {
      const values = rest['customFields'] as Record<string, unknown> | undefined;
      if (!values || !(key in values)) continue;
      if (!isDeepStrictEqual(values[key] ?? undefined, storedCustomFields[key] ?? undefined)) conflicts.push({ field, incoming: values[key] });
      const remaining = { ...values };
      delete remaining[key];
      rest['customFields'] = remaining;
      continue;
    }
    if (!(field in rest)) continue;
    // All custom fields owned: a conflict when any incoming value differs (custom fields merge).
    const different =
      field === 'customFields'
        ? Object.entries((rest[field] ?? {}) as Record<string, unknown>).some(
            ([k, v]) => !isDeepStrictEqual(v ?? undefined, storedCustomFields[k] ?? undefined),
          )
        : differs(field, rest[field]);
    if (different) conflicts.push({ field, incoming: rest[field] });
    delete rest[field];
  }
  return { input: rest as T, conflicts };
}

/**
 * The custom field values of a batch's records, checked by the service's own validator against
 * the tenant's definitions read once (as ImportCustomFields does): one validator per batch.
 */
@Injectable()
export class ExternalCustomFields {
  constructor(private readonly definitions: CustomFieldRepository) {}

  async forBatch(tenantId: string, entity: CustomFieldEntity) {
    const definitions = await this.definitions.list(tenantId, entity);
    const validator = new CustomFieldValuesValidator({ list: () => Promise.resolve(definitions) } as unknown as CustomFieldRepository);
    return async (patch: CustomFieldValues | undefined, current?: CustomFieldValues): Promise<CustomFieldValues | ItemFailure> => {
      try {
        return await validator.apply(tenantId, entity, 'record.customFields', patch, current);
      } catch (error) {
        if (!(error instanceof DomainError) || error.code !== 'VALIDATION_FAILED') throw error;
        return ItemFailure.invalid(fieldErrorsOf(error.details));
      }
    };
  }
}
