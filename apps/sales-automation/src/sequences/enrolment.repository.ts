import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { Database } from '../infrastructure/database/database';
import type { EnrolmentRow } from './sequence.mapper';

const json = (value: unknown) => sql<unknown>`${JSON.stringify(value ?? null)}::jsonb`;
const RUNNING = ['active', 'paused'];

export interface NewEnrolment {
  id: string;
  sequenceId: string;
  sequenceVersion: number;
  contactId: string;
  sourceKind: string;
  sourceId: string;
  context: Record<string, unknown>;
  enrolledAt: Date;
  dueAt: Date;
}

/** Where a step left an enrolment: the runner writes a whole batch of them in one statement. */
export interface EnrolmentProgress {
  id: string;
  status: 'active' | 'completed' | 'exited';
  nextStep: number;
  dueAt: Date | null;
  attempts: number;
  exitReason: string | null;
  finishedAt: Date | null;
}

export interface NewEnrolmentStep {
  tenantId: string;
  enrolmentId: string;
  index: number;
  type: string;
  status: 'succeeded' | 'failed' | 'skipped';
  detail: Record<string, unknown>;
  errorCode: string | null;
  at: Date;
}

/** Enrolments (the durable waits of sequences) and their step history. */
@Injectable()
export class EnrolmentRepository {
  constructor(private readonly db: Database) {}

  /** Undefined when the contact already has an active or paused enrolment in the sequence (the partial unique index decides, under concurrency too). */
  async insert(tenantId: string, e: NewEnrolment): Promise<EnrolmentRow | undefined> {
    const result = await sql<EnrolmentRow>`
      INSERT INTO sequence_enrolment (id, tenant_id, sequence_id, sequence_version, contact_id, status, next_step, due_at, source_kind, source_id, context, enrolled_at, updated_at)
      VALUES (${e.id}, ${tenantId}, ${e.sequenceId}, ${e.sequenceVersion}, ${e.contactId}, 'active', 0, ${e.dueAt}, ${e.sourceKind}, ${e.sourceId}, ${json(e.context)}, ${e.enrolledAt}, ${e.enrolledAt})
      ON CONFLICT (tenant_id, sequence_id, contact_id) WHERE status IN ('active', 'paused') DO NOTHING
      RETURNING *`.execute(this.db);
    return result.rows[0];
  }

  findRunning(tenantId: string, sequenceId: string, contactId: string): Promise<EnrolmentRow | undefined> {
    return this.db
      .selectFrom('sequence_enrolment')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('sequence_id', '=', sequenceId)
      .where('contact_id', '=', contactId)
      .where('status', 'in', RUNNING)
      .executeTakeFirst();
  }

  find(tenantId: string, id: string): Promise<EnrolmentRow | undefined> {
    return this.db.selectFrom('sequence_enrolment').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  }

  history(tenantId: string, enrolmentId: string) {
    return this.db
      .selectFrom('sequence_enrolment_step')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('enrolment_id', '=', enrolmentId)
      .orderBy('id')
      .limit(1000)
      .execute();
  }

  list(
    tenantId: string,
    filter: { sequenceId?: string; contactId?: string; status?: string },
    after: { enrolledAt: Date; id: string } | undefined,
    limit: number,
  ): Promise<EnrolmentRow[]> {
    let select = this.db.selectFrom('sequence_enrolment').selectAll().where('tenant_id', '=', tenantId);
    if (filter.sequenceId) select = select.where('sequence_id', '=', filter.sequenceId);
    if (filter.contactId) select = select.where('contact_id', '=', filter.contactId);
    if (filter.status) select = select.where('status', '=', filter.status);
    if (after) {
      select = select.where((eb) =>
        eb.or([eb('enrolled_at', '<', after.enrolledAt), eb.and([eb('enrolled_at', '=', after.enrolledAt), eb('id', '<', after.id)])]),
      );
    }
    return select
      .orderBy('enrolled_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
  }

  /** Pause, resume, stop: applies only at `version`. */
  update(
    tenantId: string,
    id: string,
    version: number,
    changes: Partial<Pick<EnrolmentRow, 'status' | 'due_at' | 'exit_reason' | 'finished_at'>>,
    at: Date,
  ): Promise<EnrolmentRow | undefined> {
    return this.db
      .updateTable('sequence_enrolment')
      .set({ ...changes, lease_until: null, version: version + 1, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', version)
      .returningAll()
      .executeTakeFirst();
  }

  /**
   * Takes up to `limit` due enrolments (any tenant) for this runner until `leaseUntil`: replicas
   * skip each other's rows (SKIP LOCKED) and a crashed runner's rows are taken again once the
   * lease has passed. Oldest due first.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<EnrolmentRow[]> {
    const result = await sql<EnrolmentRow>`
      UPDATE sequence_enrolment e SET lease_until = ${leaseUntil}
      FROM (
        SELECT id FROM sequence_enrolment
        WHERE status = 'active' AND due_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY due_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE e.id = due.id AND e.status = 'active'
      RETURNING e.*`.execute(this.db);
    return result.rows;
  }

  /** A batch's new positions, in one statement; a row stopped, paused or erased meanwhile (not active) is left as it is. */
  async progress(rows: readonly EnrolmentProgress[], at: Date): Promise<EnrolmentRow[]> {
    if (!rows.length) return [];
    const result = await sql<EnrolmentRow>`
      UPDATE sequence_enrolment e SET
        status = p.status, next_step = p.next_step, due_at = p.due_at, attempts = p.attempts,
        exit_reason = p.exit_reason, finished_at = p.finished_at, lease_until = NULL,
        version = e.version + 1, updated_at = ${at}
      FROM unnest(
        ${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.nextStep)}::int[],
        ${rows.map((r) => r.dueAt)}::timestamptz[], ${rows.map((r) => r.attempts)}::int[], ${rows.map((r) => r.exitReason)}::text[],
        ${rows.map((r) => r.finishedAt)}::timestamptz[]
      ) AS p(id, status, next_step, due_at, attempts, exit_reason, finished_at)
      WHERE e.id = p.id AND e.status = 'active'
      RETURNING e.*`.execute(this.db);
    return result.rows;
  }

  async insertSteps(steps: readonly NewEnrolmentStep[]): Promise<void> {
    if (!steps.length) return;
    await sql`
      INSERT INTO sequence_enrolment_step (tenant_id, enrolment_id, step_index, type, status, detail, error_code, at)
      SELECT * FROM unnest(
        ${steps.map((s) => s.tenantId)}::text[], ${steps.map((s) => s.enrolmentId)}::uuid[], ${steps.map((s) => s.index)}::int[],
        ${steps.map((s) => s.type)}::text[], ${steps.map((s) => s.status)}::text[], ${steps.map((s) => JSON.stringify(s.detail))}::jsonb[],
        ${steps.map((s) => s.errorCode)}::text[], ${steps.map((s) => s.at)}::timestamptz[]
      )`.execute(this.db);
  }

  /**
   * Which of the enrolments meet one of their version's exit conditions now (the runner checks
   * before each step): a purchase or a won deal recorded after the enrolment (not the order that
   * started it), an unsubscribe or bounce since the enrolment. A contact unsubscribed before it
   * still gets the sequence's transactional mail (the thank-you); its marketing sends are skipped
   * by the consent check at sending.
   */
  async exitReasons(ids: readonly string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const result = await sql<{ id: string; reason: string | null }>`
      SELECT e.id,
        CASE
          WHEN 'unsubscribed' = ANY(v.exit_on) AND EXISTS (
            SELECT 1 FROM email_consent c WHERE c.tenant_id = e.tenant_id AND c.contact_id = e.contact_id AND c.status IN ('unsubscribed', 'bounced')
              AND c.changed_at > e.enrolled_at
          ) THEN 'unsubscribed'
          WHEN 'purchased' = ANY(v.exit_on) AND EXISTS (
            SELECT 1 FROM sales_order o WHERE o.tenant_id = e.tenant_id AND o.contact_id = e.contact_id AND o.created_at > e.enrolled_at
              AND o.id::text IS DISTINCT FROM e.context->>'orderId' AND o.status NOT IN ('cancelled', 'refunded')
          ) THEN 'purchased'
          WHEN 'dealWon' = ANY(v.exit_on) AND EXISTS (
            SELECT 1 FROM deal d WHERE d.tenant_id = e.tenant_id AND d.contact_id = e.contact_id AND d.status = 'won' AND d.closed_at > e.enrolled_at
          ) THEN 'dealWon'
        END AS reason
      FROM sequence_enrolment e
      JOIN sequence_version v ON v.sequence_id = e.sequence_id AND v.number = e.sequence_version
      WHERE e.id = ANY(${ids}::uuid[])`.execute(this.db);
    return new Map(result.rows.filter((r) => r.reason).map((r) => [r.id, r.reason as string]));
  }

  /**
   * Ends a contact's running enrolments whose version exits on `condition` (null: any
   * enrolment, e.g. a stop by a rule), optionally in one sequence, enrolled before `before` and
   * not started by `exceptOrderId`. Answers the ended rows.
   */
  async exitForContact(
    tenantId: string,
    contactId: string,
    options: { condition: string | null; reason: string; at: Date; sequenceId?: string; before?: Date; exceptOrderId?: string },
  ): Promise<EnrolmentRow[]> {
    const result = await sql<EnrolmentRow>`
      UPDATE sequence_enrolment e SET status = 'exited', exit_reason = ${options.reason}, finished_at = ${options.at}, due_at = NULL,
        lease_until = NULL, version = e.version + 1, updated_at = ${options.at}
      FROM sequence_version v
      WHERE v.sequence_id = e.sequence_id AND v.number = e.sequence_version
        AND e.tenant_id = ${tenantId} AND e.contact_id = ${contactId} AND e.status IN ('active', 'paused')
        AND (${options.condition}::text IS NULL OR ${options.condition}::text = ANY(v.exit_on))
        AND (${options.sequenceId ?? null}::uuid IS NULL OR e.sequence_id = ${options.sequenceId ?? null}::uuid)
        AND (${options.before ?? null}::timestamptz IS NULL OR e.enrolled_at < ${options.before ?? null}::timestamptz)
        AND (${options.exceptOrderId ?? null}::text IS NULL OR e.context->>'orderId' IS DISTINCT FROM ${options.exceptOrderId ?? null}::text)
      RETURNING e.*`.execute(this.db);
    return result.rows;
  }

  /** A deleted sequence's running enrolments end. */
  async exitForSequence(tenantId: string, sequenceId: string, reason: string, at: Date): Promise<EnrolmentRow[]> {
    return this.db
      .updateTable('sequence_enrolment')
      .set((eb) => ({
        status: 'exited',
        exit_reason: reason,
        finished_at: at,
        due_at: null,
        lease_until: null,
        version: eb('version', '+', 1),
        updated_at: at,
      }))
      .where('tenant_id', '=', tenantId)
      .where('sequence_id', '=', sequenceId)
      .where('status', 'in', RUNNING)
      .returningAll()
      .execute();
  }

  /** Erasure: the contact's enrolments and their history go. */
  async deleteForContact(tenantId: string, contactId: string): Promise<void> {
    await sql`
      DELETE FROM sequence_enrolment_step s USING sequence_enrolment e
      WHERE s.enrolment_id = e.id AND e.tenant_id = ${tenantId} AND e.contact_id = ${contactId}`.execute(this.db);
    await this.db.deleteFrom('sequence_enrolment').where('tenant_id', '=', tenantId).where('contact_id', '=', contactId).execute();
  }

  /**
   * Merge: the merged contact's enrolments move to the survivor, except a running one in a
   * sequence the survivor is already running (it ends, `merged`). Finished ones move as history.
   */
  async moveToSurvivor(tenantId: string, mergedId: string, survivorId: string, at: Date): Promise<EnrolmentRow[]> {
    const ended = await sql<EnrolmentRow>`
      UPDATE sequence_enrolment e SET status = 'exited', exit_reason = 'merged', finished_at = ${at}, due_at = NULL, lease_until = NULL,
        version = e.version + 1, updated_at = ${at}
      WHERE e.tenant_id = ${tenantId} AND e.contact_id = ${mergedId} AND e.status IN ('active', 'paused')
        AND EXISTS (
          SELECT 1 FROM sequence_enrolment s WHERE s.tenant_id = e.tenant_id AND s.contact_id = ${survivorId}
            AND s.sequence_id = e.sequence_id AND s.status IN ('active', 'paused')
        )
      RETURNING e.*`.execute(this.db);
    await this.db
      .updateTable('sequence_enrolment')
      .set({ contact_id: survivorId, updated_at: at })
      .where('tenant_id', '=', tenantId)
      .where('contact_id', '=', mergedId)
      .execute();
    return ended.rows;
  }

  /** The contacts of a batch (branch conditions and time zones read them), by id; another tenant's copy is never answered. */
  async contacts(rows: readonly EnrolmentRow[]): Promise<Map<string, Record<string, unknown>>> {
    if (!rows.length) return new Map();
    const found = await this.db
      .selectFrom('contact_copy')
      .select(['id', 'tenant_id', 'first_name', 'last_name', 'email', 'company_id', 'tags', 'custom_fields'])
      .where('id', 'in', [...new Set(rows.map((row) => row.contact_id))])
      .execute();
    const tenantOf = new Map(rows.map((row) => [row.contact_id, row.tenant_id]));
    return new Map(found.filter((c) => tenantOf.get(c.id) === c.tenant_id).map((c) => [c.id, c as Record<string, unknown>]));
  }
}
