import { Injectable } from '@nestjs/common';
import { Actor, DomainError } from '@crm/contracts';
import type { FieldError } from '@crm/service-kit';
import { UsersRepository } from '../users/users.repository';
import type { ImportInteractionsBody } from './imports.dto';

/**
 * Who logged an imported interaction. The author is the caller; only an admin importing history
 * may name another author, and then it must be a user of the caller's organisation (active or
 * not: history predates deactivations). Users live in the gateway's database, so the gateway
 * checks; the contacts service refuses a named author from a non-admin as well.
 */
@Injectable()
export class InteractionAuthors {
  constructor(private readonly users: UsersRepository) {}

  /** VALIDATION_FAILED naming each `interactions.<i>.loggedBy` the caller may not use. */
  async check(actor: Actor, body: ImportInteractionsBody): Promise<void> {
    const named = body.interactions
      .map((item, index) => ({ index, loggedBy: item.loggedBy }))
      .filter((item): item is { index: number; loggedBy: string } => item.loggedBy !== undefined && item.loggedBy !== actor.userId);
    if (named.length === 0) return;
    const errors: FieldError[] = [];
    if (!actor.roles.includes('admin')) {
      for (const { index } of named)
        errors.push({ field: `interactions.${index}.loggedBy`, message: 'only an admin may import interactions logged by another user' });
    } else {
      const known = new Map<string, boolean>();
      for (const id of new Set(named.map((item) => item.loggedBy))) known.set(id, (await this.users.find(actor.tenantId, id)) !== null);
      for (const { index, loggedBy } of named) {
        if (!known.get(loggedBy)) errors.push({ field: `interactions.${index}.loggedBy`, message: 'not a user of this organisation' });
      }
    }
    if (errors.length) throw new DomainError('VALIDATION_FAILED', 'The request is invalid.', { errors });
  }
}
