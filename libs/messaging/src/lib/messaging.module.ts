import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AmqpConnections } from './amqp/amqp-connections';
import { TopologyNames } from './amqp/topology';
import { CallerVerifier } from './auth/caller-verifier';
import { BeforeCommit } from './consumer/before-commit';
import { EventConsumer } from './consumer/event-consumer';
import { MessageContext } from './context/message-context';
import { HandlerRegistry } from './handlers/handler-registry';
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
import { RpcServer } from './rpc/rpc-server';

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => MessagingOptions | Promise<MessagingOptions>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
}

const exported = [EventPublisher, RpcClient, ParkingLot, OutboxRelay, AmqpConnections, MessageContext, TopologyNames, BeforeCommit];

const providers: Provider[] = [
  ...exported.filter((provider) => provider !== TopologyNames),
  { provide: TopologyNames, useFactory: (o: ResolvedMessagingOptions) => new TopologyNames(o), inject: [MESSAGING_OPTIONS] },
  MessagingMetrics,
  MessagingSql,
  OutboxRepository,
  RelayDatabase,
  RelayRepository,
  InboxRepository,
  HandlerRegistry,
  EventConsumer,
  RpcServer,
  CallerVerifier,
  MessagingLifecycle,
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
      imports: [DiscoveryModule],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: resolveOptions(options) }, ...providers],
      exports: exported,
    };
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: MESSAGING_OPTIONS,
          useFactory: async (...args: unknown[]) => resolveOptions(await options.useFactory(...args)),
          inject: options.inject ?? [],
        },
        ...providers,
      ],
      exports: exported,
    };
  }
}
