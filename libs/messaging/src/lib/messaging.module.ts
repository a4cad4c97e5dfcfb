import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { APP_TRANSPORT } from '@crm/observability';
import { AmqpConnections } from './amqp/amqp-connections';
import { TopologyNames } from './amqp/topology';
import { CallerVerifier } from './auth/caller-verifier';
import { BeforeCommit } from './consumer/before-commit';
import { EventConsumer } from './consumer/event-consumer';
import { MessageContext } from './context/message-context';
import { InboxRepository } from './inbox/inbox.repository';
import { MessagingLifecycle } from './messaging.lifecycle';
import { MESSAGING_OPTIONS, MessagingOptions, ResolvedMessagingOptions, resolveOptions } from './messaging.options';
import { MessagingMetrics } from './metrics/messaging.metrics';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { RelayDatabase } from './outbox/relay-database';
import { RelayRepository } from './outbox/relay.repository';
import { MessagingSql } from './outbox/sql-client';
import { ParkingLot } from './parking/parking-lot';
import { RpcClient } from './rpc/rpc-client';
import { CommandInbox } from './rpc/command-inbox/command-inbox.interceptor';
import { CommandInboxRepository } from './rpc/command-inbox/command-inbox.repository';
import { RpcServer } from './rpc/rpc-server';
import { MessagingTransport } from './transport/messaging.transport';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}

// CommandInbox and its repository: the interceptor @OnRpc puts on commands is resolved in the handler's module.
const exported = [
  EventPublisher,
  RpcClient,
  ParkingLot,
  OutboxRelay,
  AmqpConnections,
  MessageContext,
  TopologyNames,
  MessagingTransport,
  CommandInbox,
  CommandInboxRepository,
  BeforeCommit,
];

const providers: Provider[] = [
  ...exported.filter((provider) => provider !== TopologyNames),
  { provide: TopologyNames, useFactory: (o: ResolvedMessagingOptions) => new TopologyNames(o), inject: [MESSAGING_OPTIONS] },
  MessagingMetrics,
  MessagingSql,
  OutboxRepository,
  RelayDatabase,
  RelayRepository,
  InboxRepository,
  EventConsumer,
  RpcServer,
  CallerVerifier,
  MessagingLifecycle,
  // What connectMessaging (and the test helpers) connect as the app's microservice.
  { provide: APP_TRANSPORT, useExisting: MessagingTransport },
];

/**
 * The bus for one service: outbox publishing, idempotent consumers with retries and parking,
 * and request/reply. Needs nestjs-cls with the transactional plugin over the service's
 * PrismaClient (see `prismaTransactions`), and the messaging tables in the service's schema.
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [{ provide: MESSAGING_OPTIONS, useValue: resolveOptions(options) }, ...providers],
      exports: [...exported, MESSAGING_OPTIONS, APP_TRANSPORT],
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          useFactory: async (...args: unknown[]) => resolveOptions(await options.useFactory(...args)),
          inject: options.inject ?? [],
        },
        ...providers,
      ],
      exports: [...exported, MESSAGING_OPTIONS, APP_TRANSPORT],
    };
  }
}
