import { sql, type Insertable, type QueryCreator } from 'kysely';
import { unnestRows } from '@crm/service-kit';
import type { DB, InteractionFact as InteractionFactRow } from '../generated/kysely/database';
import { addToDailyCount, INTERACTION_DAILY_COLUMNS } from './interaction-daily.table';

/** An interaction as analytics keeps it. */
export interface InteractionFact {
  interactionId: string;
  contactId: string;
  channel: string;
  occurredAt: Date;
}

/**
 * interaction_fact (one row per interaction, under the contact it counts for) as the code reads
 * and writes it; each recorded fact is counted in interaction_daily by the same statement.
 * Written by InteractionFactRepository only (and repointed there on a merge).
 */
export function interactionFactRow(tenantId: string, fact: InteractionFact) {
  return {
    tenant_id: tenantId,
    interaction_id: fact.interactionId,
    contact_id: fact.contactId,
    channel: fact.channel,
    occurred_at: fact.occurredAt,
  } satisfies Required<Insertable<InteractionFactRow>>;
}

/**
 * Records the interactions (once each, however often they arrive) and counts each one recorded
 * now on its UTC day, in one statement; selects how many were recorded. `followMerges`: a fact's
 * contact, if merged away, is replaced by the one it was merged into (else the caller did that).
 */
export function recordInteractionFacts(db: QueryCreator<DB>, tenantId: string, facts: readonly InteractionFact[], followMerges: boolean) {
  const rows = facts.map(({ interactionId, contactId, channel, occurredAt }) => ({
    interaction_id: interactionId,
    contact_id: contactId,
    channel,
    occurred_at: occurredAt,
  }));
  return db
    .with('fact', (db) =>
      db
        .insertInto('interaction_fact')
        .columns(['tenant_id', 'interaction_id', 'contact_id', 'channel', 'occurred_at'])
        .expression((eb) =>
          eb
            .selectFrom(unnestRows(rows, { interaction_id: 'uuid', contact_id: 'uuid', channel: 'text', occurred_at: 'timestamptz' }, 'f'))
            .select((eb) => [
              eb.val(tenantId).as('tenant_id'),
              'f.interaction_id',
              (followMerges
                ? eb.fn.coalesce(
                    eb
                      .selectFrom('contact_view as v')
                      .select('v.merged_into_id')
                      .where('v.tenant_id', '=', tenantId)
                      .whereRef('v.contact_id', '=', 'f.contact_id'),
                    'f.contact_id',
                  )
                : eb.ref('f.contact_id')
              ).as('contact_id'),
              'f.channel',
              'f.occurred_at',
            ]),
        )
        .onConflict((conflict) => conflict.doNothing())
        .returning(['tenant_id', 'channel', sql<Date>`(occurred_at AT TIME ZONE 'UTC')::date`.as('day')]),
    )
    .with('counted', (db) =>
      db
        .insertInto('interaction_daily')
        .columns(INTERACTION_DAILY_COLUMNS)
        .expression((eb) =>
          eb
            .selectFrom('fact')
            .select((eb) => ['fact.tenant_id', 'fact.day', 'fact.channel', eb.cast<number>(eb.fn.countAll(), 'integer').as('count')])
            .groupBy(['fact.tenant_id', 'fact.day', 'fact.channel']),
        )
        .onConflict(addToDailyCount),
    )
    .selectFrom('fact')
    .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('recorded'));
}
