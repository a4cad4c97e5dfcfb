import { DomainError, Macro } from '@crm/contracts';
import { Liquid } from 'liquidjs';
import { validationFailed } from '../tickets/ticket-errors';
import type { MacroFields, MacroRow } from './macro.repository';
import { isoTimestamp as iso } from '@crm/service-kit';

/** Macro replies are Liquid templates; an unknown variable renders empty (a macro never fails on a missing name). */
export const macroTemplates = new Liquid({ strictVariables: false, strictFilters: true, ownPropertyOnly: true });

export function toMacro(row: MacroRow): Macro {
  return {
    id: row.id,
    name: row.name,
    reply: (row.reply as Macro['reply']) ?? null,
    set: row.set_fields as Macro['set'],
    addTags: row.add_tags,
    removeTags: row.remove_tags,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function fieldsOf(row: MacroRow): MacroFields {
  const { name, reply, set, addTags, removeTags } = toMacro(row);
  return { name, reply, set, addTags, removeTags };
}

/** The reply must parse as a template: the mistake is found when the macro is saved, not when an agent applies it. */
export function checkTemplate(reply: { body: string } | null): void {
  if (!reply) return;
  try {
    macroTemplates.parse(reply.body);
  } catch (error) {
    throw validationFailed([{ path: 'reply.body', message: `is not a valid template: ${(error as Error).message.split('\n')[0]}` }]);
  }
}

export const macroNotFound = (id: string) => new DomainError('NOT_FOUND', `macro ${id} not found.`);
export const macroNameTaken = (name: string) => new DomainError('CONFLICT', `A macro named "${name}" exists already.`);
