import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import type { ErrorReply } from '@crm/contracts';
import { RpcCallContext } from '../handlers/rpc-call-context';
import { toErrorReply } from './error-reply';

/**
 * The one place an RPC handler's failure (guard, pipe, interceptor or handler) becomes the
 * typed error reply the caller receives. Event handlers' errors pass through untouched: the
 * consumer retries or parks with the original message.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, host: ArgumentsHost): Observable<ErrorReply> {
    const context = host.switchToRpc().getContext<unknown>();
    if (!(context instanceof RpcCallContext)) return throwError(() => exception);
    return throwError(() => toErrorReply(exception, context));
  }
}
