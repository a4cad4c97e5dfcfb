import { z } from 'zod';
import { EventContract, RpcContract } from './define';
import { EventEnvelope, eventEnvelopeSchema } from './envelope';

/** One problem in a message, named by its path, for error replies and parking reasons. */
export interface ContractIssue {
  path: string;
  message: string;
}

/** A message does not match its contract. Carries every issue, not just the first. */
export class ContractViolation extends Error {
  readonly code = 'CONTRACT_VIOLATION';
  constructor(
    readonly messageName: string,
    readonly issues: ContractIssue[],
  ) {
    super(`${messageName} does not match its contract: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'ContractViolation';
  }
}

export function toIssues(error: z.ZodError): ContractIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

function parseWith<S extends z.ZodType>(name: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ContractViolation(name, toIssues(result.error));
  const nul = nulCharacterIssues(result.data);
  if (nul.length) throw new ContractViolation(name, nul);
  return result.data;
}

/**
 * Strings holding U+0000, by path. No message may carry one: Postgres text cannot store it, so it
 * would fail deep in a service instead of being refused up front, naming the field.
 */
export function nulCharacterIssues(value: unknown, path: string[] = [], found: ContractIssue[] = []): ContractIssue[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ path: path.join('.'), message: 'must not contain NUL characters (U+0000)' });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulCharacterIssues(item, [...path, String(index)], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push({ path: [...path, key].join('.'), message: 'must not contain NUL characters (U+0000)' });
      nulCharacterIssues(item, [...path, key], found);
    }
  }
  return found;
}

/** Checks the envelope attributes only (the data is checked against the event's own contract). */
export function parseEnvelope(value: unknown): EventEnvelope {
  return parseWith('event envelope', eventEnvelopeSchema, value) as EventEnvelope;
}

export function parseEventData<C extends EventContract>(contract: C, data: unknown): z.infer<C['schema']> {
  return parseWith(contract.name, contract.schema, data) as z.infer<C['schema']>;
}

export function parseRequest<C extends RpcContract>(contract: C, payload: unknown): z.infer<C['request']> {
  return parseWith(contract.name, contract.request, payload) as z.infer<C['request']>;
}

export function parseResponse<C extends RpcContract>(contract: C, payload: unknown): z.infer<C['response']> {
  return parseWith(`${contract.name} reply`, contract.response, payload) as z.infer<C['response']>;
}
