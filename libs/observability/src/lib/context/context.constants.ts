/** Keys under which the current context is stored in nestjs-cls (shared with the messaging library). */
export const CLS_CORRELATION_ID = 'correlationId';
export const CLS_TRACEPARENT = 'traceparent';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const TRACEPARENT_HEADER = 'traceparent';
