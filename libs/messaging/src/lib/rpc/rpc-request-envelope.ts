import { headerString } from '../context/message-context';

/** The body of a request on the bus, as RpcClient writes it and RpcServer reads it. */
export interface RpcRequestEnvelope {
  payload?: unknown;
  /** The caller's access token, verified by the serving side. */
  token?: unknown;
  correlationId?: unknown;
  /** W3C trace context of the call. */
  traceparent?: unknown;
}

/**
 * The correlation id and trace parent a request continues: from its body, or from the AMQP headers
 * a caller of the previous release still sends them in (a rolling deploy mixes both).
 */
export function requestTrace(envelope: RpcRequestEnvelope | undefined, headers: Record<string, unknown> | undefined) {
  return {
    correlationId: (typeof envelope?.correlationId === 'string' && envelope.correlationId) || headerString(headers, 'x-correlation-id'),
    traceparent: (typeof envelope?.traceparent === 'string' && envelope.traceparent) || headerString(headers, 'traceparent'),
  };
}
