import jsonLogic from 'json-logic-js';
import { RunError } from '../workflow-rule-errors';

/**
 * json-logic-js's operators a condition may use. Not `method` (it calls any method of a value:
 * code execution by data) nor `log` (console output); custom operations are never added.
 */
const ALLOWED = new Set([
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!!',
  '!',
  '%',
  'in',
  'cat',
  'substr',
  '+',
  '*',
  '-',
  '/',
  'min',
  'max',
  'merge',
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  'and',
  'or',
  'filter',
  'map',
  'reduce',
  'all',
  'none',
  'some',
]);
/** Operators whose later arguments are evaluated per item of an array (their `var`s name the item, not the record). */
const ITERATING = new Set(['filter', 'map', 'reduce', 'all', 'none', 'some']);

const isOperation = (node: unknown): node is Record<string, unknown> =>
  typeof node === 'object' && node !== null && !Array.isArray(node) && Object.keys(node).length === 1;

/** The first operator that is not allowed (its name), or undefined: checked at save, so a run never meets one. */
export function unknownOperator(logic: unknown): string | undefined {
  if (Array.isArray(logic)) {
    for (const item of logic) {
      const found = unknownOperator(item);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof logic !== 'object' || logic === null) return undefined;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return keys.length === 0 ? undefined : `{${keys.join(', ')}}`;
  const [operator] = keys;
  if (!ALLOWED.has(operator)) return operator;
  return unknownOperator((logic as Record<string, unknown>)[operator]);
}

/** The fields the condition reads without a default (`{"var": "record.total"}`, not `{"var": ["x", 0]}`), outside per-item scopes. */
function requiredFields(logic: unknown, out: string[] = []): string[] {
  if (Array.isArray(logic)) {
    logic.forEach((item) => requiredFields(item, out));
    return out;
  }
  if (!isOperation(logic)) return out;
  const [operator] = Object.keys(logic);
  const args = logic[operator];
  if (operator === 'var') {
    const [name, fallback] = Array.isArray(args) ? args : [args];
    if (fallback === undefined && typeof name === 'string' && name !== '') out.push(name);
    return out;
  }
  if (operator === 'missing' || operator === 'missing_some') return out;
  if (ITERATING.has(operator) && Array.isArray(args)) return requiredFields(args[0], out);
  return requiredFields(args, out);
}

function valueAt(data: unknown, path: string): unknown {
  let current: unknown = data;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Evaluates the condition (JSON Logic, never eval) over `{ event, record }`. A field it reads
 * that the data lacks is a CONDITION_FIELD_MISSING run error naming it: the rule is wrong for the
 * event, which a silent false would hide. No condition: true.
 */
export function conditionHolds(logic: unknown, data: { event: unknown; record: unknown }): boolean {
  if (logic === null || logic === undefined) return true;
  const missing = requiredFields(logic).find((field) => valueAt(data, field) === undefined);
  if (missing) throw new RunError('CONDITION_FIELD_MISSING', `the condition reads ${missing}, which the event and its record do not have`);
  try {
    return jsonLogic.truthy(jsonLogic.apply(logic as jsonLogic.RulesLogic, data));
  } catch (error) {
    throw new RunError('CONDITION_FAILED', `the condition could not be evaluated: ${(error as Error).message}`);
  }
}
