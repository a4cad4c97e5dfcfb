import { z } from 'zod';
import type { EventContract } from '@crm/contracts';
import { feedEventContracts, scopeForChange } from '../changes/change-scopes';

type Json = Record<string, unknown>;

/** JSON Schema (draft-07, which AsyncAPI 3's default schema format extends) of a zod schema. */
function jsonSchemaOf(schema: z.ZodType): Json {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any', io: 'output' }) as Json;
  return json;
}

/** The CloudEvent of one change type: the attributes the feed and webhooks send, with the contract's data. */
function cloudEventSchema(contract: EventContract): Json {
  return {
    type: 'object',
    required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
    properties: {
      specversion: { type: 'string', const: '1.0' },
      id: { type: 'string', format: 'uuid', description: 'The domain event id: the same in the feed, in every webhook delivery and replay.' },
      source: { type: 'string', const: `crm/${contract.service}` },
      type: { type: 'string', const: contract.name },
      subject: { type: 'string', description: 'The id of the record the change is about.' },
      time: { type: 'string', format: 'date-time' },
      datacontenttype: { type: 'string', const: 'application/json' },
      data: {
        ...jsonSchemaOf(contract.schema),
        description: 'The event data as the owning service published it. After a contact is erased its changes carry { contactId, erased: true } instead.',
      },
    },
  };
}

/**
 * The AsyncAPI 3.0 document of what the integration gateway sends ERP clients: every change type
 * (from libs/contracts: names and zod schemas), as CloudEvents, on the change feed (long-polled
 * GET /erp/v1/changes) and as webhook calls signed per Standard Webhooks.
 */
export function buildAsyncApiDocument(): Json {
  const contracts = feedEventContracts();
  const messages: Json = {};
  for (const contract of contracts) {
    messages[contract.name] = {
      name: contract.name,
      title: contract.name,
      summary: `${contract.type} (version ${contract.version}); needs the scope ${scopeForChange(contract.name) ?? 'none: not delivered'}`,
      contentType: 'application/json',
      payload: cloudEventSchema(contract),
    };
  }
  const refs = (): Json => Object.fromEntries(contracts.map((c) => [c.name, { $ref: `#/components/messages/${c.name}` }]));
  const opMessages = (channel: string) => contracts.map((c) => ({ $ref: `#/channels/${channel}/messages/${c.name}` }));
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'CRM integration gateway: change feed and webhooks',
      version: '1.0.0',
      description:
        'Changes of CRM records as CloudEvents 1.0 (structured JSON). Read them in order from GET /erp/v1/changes ' +
        '(scope changes:read, cursor `after`, `types`, long poll `wait`), or subscribe a URL at /erp/v1/webhooks (scope webhooks:manage). ' +
        'A client sees only the change types its scopes cover.',
    },
    defaultContentType: 'application/json',
    channels: {
      changeFeed: {
        address: '/erp/v1/changes',
        title: 'The change feed',
        description: 'A page: { data: CloudEvent[], next: cursor }. Each entry is one of these messages.',
        messages: refs(),
      },
      webhook: {
        address: '{subscriptionUrl}',
        title: 'Webhook calls',
        description: 'POST to the subscribed URL, one change per call, retried with backoff for about a day; a 2xx answer is a delivery.',
        parameters: { subscriptionUrl: { description: 'The URL given when subscribing.' } },
        messages: refs(),
      },
    },
    operations: {
      readChanges: {
        action: 'receive',
        channel: { $ref: '#/channels/changeFeed' },
        summary: 'Read changes after a cursor (GET /erp/v1/changes)',
        messages: opMessages('changeFeed'),
      },
      receiveWebhooks: {
        action: 'receive',
        channel: { $ref: '#/channels/webhook' },
        summary: 'Receive signed webhook calls (verify with the subscription secret, Standard Webhooks)',
        messages: opMessages('webhook'),
        traits: [{ $ref: '#/components/operationTraits/standardWebhooks' }],
      },
    },
    components: {
      messages,
      operationTraits: {
        standardWebhooks: {
          description:
            'Headers webhook-id (the delivery id: the same on retries and replays, deduplicate on it), webhook-timestamp (Unix seconds) and ' +
            'webhook-signature (v1,<base64 HMAC-SHA256 of "id.timestamp.body" with the whsec_ secret).',
        },
      },
    },
  };
}
