import type { BusinessHoursView, SlaPolicy } from '@crm/contracts';
import { ALWAYS_OPEN, BusinessHours } from './business-calendar';
import type { BusinessHoursRow, SlaPolicyRow } from './sla.repository';
import { isoTimestamp as iso } from '@crm/service-kit';


/** A tenant's hours as the calendar reads them; around the clock in UTC when it has set none. */
export function toBusinessHours(row: BusinessHoursRow | undefined): BusinessHours {
  if (!row) return ALWAYS_OPEN('UTC');
  return {
    timeZone: row.time_zone,
    weekly: row.weekly as BusinessHours['weekly'],
    publicHolidays: row.public_holidays as BusinessHours['publicHolidays'],
    closedDates: row.closed_dates,
  };
}

export function toBusinessHoursView(row: BusinessHoursRow | undefined): BusinessHoursView {
  const hours = toBusinessHours(row);
  return {
    timeZone: hours.timeZone,
    weekly: hours.weekly as BusinessHoursView['weekly'],
    publicHolidays: (hours.publicHolidays ?? null) as BusinessHoursView['publicHolidays'],
    closedDates: hours.closedDates ?? [],
    version: row?.version ?? 1,
    updatedAt: iso(row?.updated_at ?? new Date(0)),
  };
}

export function toSlaPolicy(row: SlaPolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority as SlaPolicy['priority'],
    firstResponseMinutes: row.first_response_minutes,
    resolutionMinutes: row.resolution_minutes,
    warnShare: row.warn_share,
    raisePriority: row.raise_priority,
    escalateToGroupId: row.escalate_to_group_id,
    notifyManager: row.notify_manager,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
