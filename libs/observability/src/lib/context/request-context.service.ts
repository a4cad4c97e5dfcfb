import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { randomUUID } from 'node:crypto';
import { CLS_CORRELATION_ID, CLS_TRACEPARENT } from './context.constants';
import { newTraceparent, parseTraceparent } from './traceparent';

export interface ContextValues {
  correlationId?: string;
  traceparent?: string;
}

/** Read access to the current request/message context (correlation id and W3C trace context). */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  get isActive(): boolean {
    return this.cls.isActive();
  }

  // Symbol keys: read as a property of the active store, undefined (not an error) outside a context.
  get correlationId(): string | undefined {
    return this.cls.get(CLS_CORRELATION_ID);
  }

  get traceparent(): string | undefined {
    return this.cls.get(CLS_TRACEPARENT);
  }

  get traceId(): string | undefined {
    return parseTraceparent(this.traceparent)?.traceId;
  }

  get spanId(): string | undefined {
    return parseTraceparent(this.traceparent)?.spanId;
  }

  /**
   * Runs `fn` in a fresh context, for work that does not start with an HTTP request
   * (a consumed message, a scheduled job). Missing values are generated.
   */
  run<T>(values: ContextValues, fn: () => T): T {
    return this.cls.run({ ifNested: 'override' }, () => {
      this.cls.set(CLS_CORRELATION_ID, values.correlationId ?? randomUUID());
      this.cls.set(CLS_TRACEPARENT, values.traceparent ?? newTraceparent());
      return fn();
    });
  }
}
