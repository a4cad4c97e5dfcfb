import type { z } from 'zod';
import type { EventContract, EventData } from './define';

/**
 * Which fields of an event are personal data, marked on the contract's schema itself: a field
 * declared `personal(z.string())` is what a consumer must remove once the contact it is about is
 * erased (GDPR art. 17). The mark is on the schema instance, so it follows the field through
 * `.omit`, `.pick`, `.extend`, `.partial`, `.optional` and `.nullable`, and a consumer that scrubs
 * with `scrubPersonalData` drops a field as soon as its contract marks it, with no list of its own.
 */
const marked = new WeakSet<z.ZodType>();

/** Marks a field as personal data. A copy is marked: a schema shared with other fields stays unmarked there. */
export function personal<S extends z.ZodType>(schema: S): S {
  const copy = schema.clone() as S;
  marked.add(copy);
  return copy;
}

/** What scrubbing leaves of an event's data: its fields that are not personal data (so any may be missing). */
export type ScrubbedData<C extends EventContract> = DeepPartial<EventData<C>>;
type DeepPartial<T> = T extends readonly (infer E)[] ? DeepPartial<E>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** How to scrub a value: drop it, keep it whole (null), or walk into its object fields or array items. */
type Plan = 'drop' | null | { fields: Record<string, Plan> } | { items: Plan };

const plans = new WeakMap<z.ZodType, Plan>();

/** The data without its personal fields (a copy; `data` is left as it is). Fields the contract does not mark stay. */
export function scrubPersonalData<C extends EventContract>(contract: C, data: EventData<C>): ScrubbedData<C> {
  return apply(planOf(contract.schema), data) as ScrubbedData<C>;
}

/** The dotted paths of the fields the contract marks personal (`contact.emails`; array items are walked into as `[]`). */
export function personalDataPaths(contract: EventContract): string[] {
  const paths: string[] = [];
  const walk = (plan: Plan, path: string) => {
    if (plan === 'drop') paths.push(path);
    else if (plan && 'fields' in plan) for (const [key, field] of Object.entries(plan.fields)) walk(field, path ? `${path}.${key}` : key);
    else if (plan) walk(plan.items, `${path}[]`);
  };
  walk(planOf(contract.schema), '');
  return paths;
}

// Worked out once per schema: events are scrubbed on the intake path.
function planOf(schema: z.ZodType): Plan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    plan = compile(schema);
    plans.set(schema, plan);
  }
  return plan;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}

function compile(schema: z.ZodType): Plan {
  if (marked.has(schema)) return 'drop';
  const def = schema._zod.def as unknown as Def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return compile(def.innerType as z.ZodType);
    case 'pipe':
      return compile(def.in as z.ZodType);
    case 'object': {
      const fields: Record<string, Plan> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        const plan = compile(field);
        if (plan !== null) fields[key] = plan;
      }
      return Object.keys(fields).length > 0 ? { fields } : null;
    }
    case 'array': {
      const items = compile(def.element as z.ZodType);
      return items === null ? null : { items };
    }
    default:
      // Unions, records and scalars are kept whole unless marked themselves.
      return null;
  }
}

function apply(plan: Plan, value: unknown): unknown {
  if (plan === null || value === null || value === undefined) return value;
  if (plan === 'drop') return undefined;
  if ('items' in plan) return Array.isArray(value) ? value.map((item) => apply(plan.items, item)) : value;
  if (typeof value !== 'object') return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, field] of Object.entries(plan.fields)) {
    if (field === 'drop') delete copy[key];
    else if (key in copy) copy[key] = apply(field, copy[key]);
  }
  return copy;
}
