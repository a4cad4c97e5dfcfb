import type { EventEnvelope } from '@crm/contracts';
import type { AutomationEvent } from './automation-events';

/**
 * An inbox-delivered envelope as the automation features see it: the same id (listeners are
 * idempotent by it), the contract-checked data, and the envelope's `automationdepth` (0 when absent).
 */
export function automationEventOf(envelope: EventEnvelope, data: unknown): AutomationEvent {
  return {
    id: envelope.id,
    type: envelope.type,
    tenantId: envelope.tenantid,
    time: envelope.time,
    data: (data ?? {}) as Record<string, unknown>,
    ...(envelope.correlationid !== undefined && { correlationId: envelope.correlationid }),
    automationDepth: envelope.automationdepth ?? 0,
  };
}
