import { z } from 'zod';
import { EventContract, RpcContract } from './define';
import { EventEnvelope, eventEnvelopeSchema } from './envelope';
import { DomainError } from './errors';

/** One problem in a message, named by its path, for error replies and parking reasons. */
export interface ContractIssue {
  path: string;
  message: string;
  /** zod's issue code (`invalid_type`, `too_small`...), when zod found it. */
  code?: string;
}

/**
 * One invalid field, as every edge reports it: the `errors` of a VALIDATION_FAILED reply over the
 * bus and of the gateway's 400 problem+json alike. `field` is the path in the message (the
 * gateway names it relative to the HTTP body: `emails.0.address`); `(body)` is the whole of it.
 */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

/** The details of every VALIDATION_FAILED error, whoever found the problem. */
export interface ValidationFailureDetails {
  errors: FieldError[];
}

export const WHOLE_BODY = '(body)';

export function toFieldError({ path, message, code }: ContractIssue): FieldError {
  return code ? { field: path || WHOLE_BODY, message, code } : { field: path || WHOLE_BODY, message };
}

/**
 * The one validation error of the system: what the gateway's pipes throw at the HTTP edge, what
 * a service replies when a request breaks its contract or its own rules (the RPC edge sends it as
 * it is), and so what a client gets, in one shape: `{ errors: [{ field, message, code? }] }`.
 */
export function validationFailed(issues: readonly ContractIssue[], message = 'The request is invalid.'): DomainError {
  return new DomainError('VALIDATION_FAILED', message, { errors: issues.map(toFieldError) } satisfies ValidationFailureDetails);
}

/** The invalid fields a VALIDATION_FAILED error's details name (none if they are not that shape). */
export function fieldErrorsOf(details: unknown): FieldError[] {
  const errors = (details as Partial<ValidationFailureDetails> | undefined)?.errors;
  return Array.isArray(errors) ? errors : [];
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
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message, code: issue.code }));
}

/**
 * Checks a value against a schema: its parsed value, or every issue (zod's, then NUL characters).
 * The one check both edges run: the gateway's pipes on HTTP input, the transport on messages.
 */
export function checkAgainst<S extends z.ZodType>(schema: S, value: unknown): { ok: true; data: z.infer<S> } | { ok: false; issues: ContractIssue[] } {
  const result = schema.safeParse(value);
  if (!result.success) return { ok: false, issues: toIssues(result.error) };
  const unstorable = unstorableTextIssues(result.data);
  return unstorable.length ? { ok: false, issues: unstorable } : { ok: true, data: result.data };
}

function parseWith<S extends z.ZodType>(name: string, schema: S, value: unknown): z.infer<S> {
  const checked = checkAgainst(schema, value);
  if (!checked.ok) throw new ContractViolation(name, checked.issues);
  return checked.data;
}

/**
 * Strings Postgres cannot store, by path: one holding U+0000 (text cannot hold it), or an unpaired
 * UTF-16 surrogate (JSON's `"\uD800"` escape parses to one; as text it would be silently replaced
 * by U+FFFD, and in a jsonb column or an event's envelope Postgres refuses it). No message may carry
 * either: it would fail deep in a service instead of being refused up front, naming the field.
 */
export function unstorableTextIssues(value: unknown, path: string[] = [], found: ContractIssue[] = []): ContractIssue[] {
  // Every message passes here: a walk that allocates nothing comes first, and the paths are only
  // built for a value that holds such a string somewhere.
  if (!holdsUnstorable(value)) return found;
  if (typeof value === 'string') {
    found.push({ path: path.join('.'), message: unstorableReason(value) });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => unstorableTextIssues(item, [...path, String(index)], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isUnstorable(key)) found.push({ path: [...path, key].join('.'), message: unstorableReason(key) });
      unstorableTextIssues(item, [...path, key], found);
    }
  }
  return found;
}

/** Any UTF-16 surrogate code unit (a cheap first look), and one without its pair (the `u` flag reads pairs as one code point). */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /\p{Cs}/u;

function isUnstorable(text: string): boolean {
  return text.includes('\u0000') || (SURROGATE.test(text) && LONE_SURROGATE.test(text));
}

function unstorableReason(text: string): string {
  return text.includes('\u0000')
    ? 'must not contain NUL characters (U+0000)'
    : 'must not contain an unpaired UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair): text must be valid Unicode';
}

function holdsUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return isUnstorable(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnstorable(value[i])) return true;
    return false;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (isUnstorable(key) || holdsUnstorable((value as Record<string, unknown>)[key])) return true;
  }
  return false;
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

/**
 * A reply against its contract: zod only. The unstorable-text walk guards what a service is about to store,
 * and a reply is read from a database that holds neither (the walk cost 1.6% of a board page's CPU).
 */
export function parseResponse<C extends RpcContract>(contract: C, payload: unknown): z.infer<C['response']> {
  const result = contract.response.safeParse(payload);
  if (!result.success) throw new ContractViolation(`${contract.name} reply`, toIssues(result.error));
  return result.data as z.infer<C['response']>;
}
