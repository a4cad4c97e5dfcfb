import { ClsServiceManager } from 'nestjs-cls';
import { CLS_CORRELATION_ID, CLS_TRACEPARENT } from './context.constants';
import { parseTraceparent } from './traceparent';

export interface LogContextFields {
  correlationId?: string;
  traceId?: string;
  spanId?: string;
}

/** Context fields for log lines; usable outside DI (the pino mixin runs for every line). */
export function currentLogContext(): LogContextFields {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return {};
  const trace = parseTraceparent(cls.get(CLS_TRACEPARENT));
  return {
    correlationId: cls.get(CLS_CORRELATION_ID),
    traceId: trace?.traceId,
    spanId: trace?.spanId,
  };
}
