import type { RelayableData } from '@crm/contracts';

/**
 * A service's answer as the JSON text it arrived in (ServiceBus.relay), sent to the client unread;
 * `version`: the record's, when the answer is one record, for its ETag (@VersionEtag() reads it).
 */
export class RelayedJson {
  readonly bytes: Buffer;
  readonly version?: number;

  constructor({ json, version }: RelayableData) {
    this.bytes = json;
    this.version = version;
  }
}

/**
 * The gateway's Fastify reply serializer (configureHttp): a RelayedJson is sent as its bytes, any
 * other body as JSON. Fastify gives both the JSON content type, so to the client a relaying route
 * is no different from one that returns the object. A serializer and not a Nest interceptor: any
 * interceptor puts every route's reply through rxjs, which cost a GET by id ~10% of the gateway's
 * CPU and ~40% of its allocations.
 */
export function serializeReply(payload: unknown): string | Buffer {
  return payload instanceof RelayedJson ? payload.bytes : JSON.stringify(payload);
}
