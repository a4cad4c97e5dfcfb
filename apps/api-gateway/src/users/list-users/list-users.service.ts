import { Injectable } from '@nestjs/common';
import type { Actor } from '@crm/contracts';
import { ManagedUser, UsersRepository } from '../users.repository';
import type { ListUsersQuery } from './list-users.dto';
import { encodeUserCursor } from './user-cursor';

export interface UserPage {
  data: ManagedUser[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** The organisation's users, oldest first, a page at a time (keyset pagination: stable under inserts). */
@Injectable()
export class ListUsersService {
  constructor(private readonly users: UsersRepository) {}

  async list(actor: Actor, query: ListUsersQuery): Promise<UserPage> {
    // One more than the page tells whether there is a next page without counting.
    const rows = await this.users.list(actor.tenantId, {
      role: query.role,
      active: query.active,
      q: query.q,
      after: query.cursor,
      limit: query.limit + 1,
    });
    const data = rows.slice(0, query.limit);
    const last = data.at(-1);
    return { data, nextCursor: rows.length > query.limit && last ? encodeUserCursor(last) : null };
  }
}
