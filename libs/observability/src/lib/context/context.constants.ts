/**
 * Keys under which the current context is stored in nestjs-cls (shared with the messaging
 * library). Symbols: nestjs-cls reads a string key as a dotted path (split on every get and set),
 * a symbol as a property.
 */
export const CLS_CORRELATION_ID = Symbol('correlationId');
export const CLS_TRACEPARENT = Symbol('traceparent');

export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const TRACEPARENT_HEADER = 'traceparent';
