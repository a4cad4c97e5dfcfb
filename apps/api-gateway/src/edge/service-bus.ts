import { Injectable } from '@nestjs/common';
import { Actor, fieldErrorsOf, RpcContract, RpcRequest, RpcResponse, WHOLE_BODY } from '@crm/contracts';
import { CallOptions, RemoteError, RpcClient } from '@crm/messaging';
import { AppConfig } from '../app.config';
import { CallTokens } from './call-tokens';
import { RelayedJson } from './relayed-json';

export interface EdgeCallOptions {
  /** This route's own timeout; default GATEWAY_RPC_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * Where the HTTP body sits in the message (e.g. `contact`): the service names invalid fields by
   * their path in the message (`contact.emails.0.address`), the client knows them by their path in
   * the body (`emails.0.address`).
   */
  bodyAt?: string;
}

/**
 * How a route handler sends one command or query to the owning service: on behalf of the
 * caller (its signed access token travels with the request, and the service verifies it and
 * takes tenant, user and roles from it only), within the route's timeout. The correlation id
 * and trace context travel by themselves (RpcClient reads them from the request context).
 * Failures are the RpcClient's errors; ProblemDetailsFilter turns them into 503/504/4xx.
 */
@Injectable()
export class ServiceBus {
  constructor(
    private readonly rpc: RpcClient,
    private readonly config: AppConfig,
    private readonly tokens: CallTokens,
  ) {}

  call<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor: Actor, options: EdgeCallOptions = {}): Promise<RpcResponse<C>> {
    return this.onBehalfOf(actor, options, (callOptions) => this.rpc.call(contract, payload, callOptions));
  }

  /**
   * As `call`, for a route that answers with the service's reply as it is (lists, a GET by id): the
   * reply's JSON goes to the client without being read and written again here (serializeReply, set
   * by configureHttp), a record's version with it for the ETag.
   */
  async relay<C extends RpcContract>(contract: C, payload: RpcRequest<C>, actor: Actor, options: EdgeCallOptions = {}): Promise<RelayedJson> {
    return new RelayedJson(await this.onBehalfOf(actor, options, (callOptions) => this.rpc.callForJson(contract, payload, callOptions)));
  }

  private async onBehalfOf<T>(actor: Actor, options: EdgeCallOptions, send: (callOptions: CallOptions) => Promise<T>): Promise<T> {
    try {
      return await send({ token: this.tokens.forCall(actor), timeoutMs: options.timeoutMs ?? this.config.GATEWAY_RPC_TIMEOUT_MS });
    } catch (error) {
      throw options.bodyAt ? fieldsRelativeTo(error, options.bodyAt) : error;
    }
  }
}

function fieldsRelativeTo(error: unknown, bodyAt: string): unknown {
  if (!(error instanceof RemoteError) || error.code !== 'VALIDATION_FAILED') return error;
  const prefix = `${bodyAt}.`;
  const strip = (field: string) => (field.startsWith(prefix) ? field.slice(prefix.length) : field === bodyAt ? WHOLE_BODY : field);
  const errors = fieldErrorsOf(error.details).map((e) => ({ ...e, field: strip(e.field) }));
  return new RemoteError(error.messageName, { code: error.code, message: error.message, details: { ...(error.details as object), errors } });
}
