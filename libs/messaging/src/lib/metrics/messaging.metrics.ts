import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, register } from 'prom-client';

// Several Nest applications can live in one process (tests, the benchmark): metrics are
// registered once in the default registry and told apart by the `service` label.
function counter(name: string, help: string, labelNames: string[]): Counter {
  return (register.getSingleMetric(name) as Counter) ?? new Counter({ name, help, labelNames });
}
function gauge(name: string, help: string, labelNames: string[]): Gauge {
  return (register.getSingleMetric(name) as Gauge) ?? new Gauge({ name, help, labelNames });
}
function histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram {
  return (register.getSingleMetric(name) as Histogram) ?? new Histogram({ name, help, labelNames, buckets });
}

const durationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

@Injectable()
export class MessagingMetrics {
  readonly published = counter('crm_messages_published_total', 'Events published by the outbox relay and confirmed by the broker', ['service', 'type']);
  readonly consumed = counter('crm_messages_consumed_total', 'Event deliveries handled, by outcome', ['service', 'type', 'outcome']);
  readonly retried = counter('crm_messages_retried_total', 'Event deliveries sent to a retry queue', ['service', 'type']);
  readonly parked = counter('crm_messages_parked_total', 'Event deliveries parked in the dead-letter queue', ['service', 'type', 'reason']);
  readonly redriven = counter('crm_messages_redriven_total', 'Parked messages sent back to the work queue', ['service']);
  readonly handlerDuration = histogram(
    'crm_message_handler_duration_seconds',
    'Event handler duration including its transaction',
    ['service', 'type'],
    durationBuckets,
  );
  readonly outboxPending = gauge('crm_outbox_pending_messages', 'Outbox rows not yet confirmed by the broker', ['service']);
  readonly outboxOldestAge = gauge('crm_outbox_oldest_pending_seconds', 'Age of the oldest unsent outbox row', ['service']);
  readonly brokerBlocked = gauge('crm_broker_blocked', '1 while the broker blocks this service from publishing (resource alarm)', ['service']);
  readonly rpcServerDuration = histogram(
    'crm_rpc_server_duration_seconds',
    'Time to handle a command or query',
    ['service', 'type', 'outcome'],
    durationBuckets,
  );
  readonly rpcClientDuration = histogram(
    'crm_rpc_client_duration_seconds',
    'Round trip of a command or query',
    ['service', 'type', 'outcome'],
    durationBuckets,
  );
}
