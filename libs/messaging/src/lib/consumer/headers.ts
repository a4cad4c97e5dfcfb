/** Headers the messaging library adds to retried and parked messages. */
export const HEADERS = {
  retries: 'x-crm-retries',
  lastError: 'x-crm-last-error',
  parkedReason: 'x-crm-parked-reason',
  parkedAt: 'x-crm-parked-at',
  originalRoutingKey: 'x-crm-original-routing-key',
  redrivenAt: 'x-crm-redriven-at',
} as const;
