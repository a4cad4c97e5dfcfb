/** Headers the messaging library adds to retried and parked messages. */
export const HEADERS = {
  retries: 'x-crm-retries',
  lastError: 'x-crm-last-error',
  parkedReason: 'x-crm-parked-reason',
  parkedAt: 'x-crm-parked-at',
  originalRoutingKey: 'x-crm-original-routing-key',
  redrivenAt: 'x-crm-redriven-at',
  /** The broker user that published the event (its AMQP user-id), kept on retried and parked copies. */
  publisher: 'x-crm-publisher',
} as const;
