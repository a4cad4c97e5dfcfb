import { z } from 'zod';
import { MESSAGE_NAME_PATTERN } from './names';

/**
 * The event envelope: CloudEvents 1.0 attributes (structured JSON mode) plus the extension
 * attributes this system needs. CloudEvents extension names are lower-case alphanumerics, so
 * the tenant is `tenantid`, the entity's version is `entityversion` and the automation depth
 * `automationdepth`; `traceparent` and
 * `tracestate` are the CloudEvents distributed-tracing extension (W3C trace context).
 * `source` is `crm/<service>` of the service owning the type (its first segment): consumers park
 * any other (reason `untrusted-source`), as they park an event the broker says (AMQP user-id)
 * another service's user published.
 */
export const eventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  source: z.string().min(1),
  type: z.string().regex(MESSAGE_NAME_PATTERN, 'type must be <service>.<entity>.<action>.v<version>'),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).optional(),
  datacontenttype: z.literal('application/json'),
  tenantid: z.string().min(1),
  entityversion: z.number().int().nonnegative().optional(),
  /**
   * How many automation steps (workflow-rule actions) led to this event; absent for a user's or an
   * ERP's act (0). Rules read it to stop a rule that triggers itself (their depth limit).
   */
  automationdepth: z.number().int().nonnegative().optional(),
  correlationid: z.string().min(1).optional(),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
    .optional(),
  tracestate: z.string().optional(),
  data: z.unknown(),
});

export type EventEnvelope<T = unknown> = Omit<z.infer<typeof eventEnvelopeSchema>, 'data'> & { data: T };
