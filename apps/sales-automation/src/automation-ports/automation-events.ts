import { Injectable, Logger } from '@nestjs/common';

/**
 * A domain event as the automation features see it: any service's event this service received
 * through its inbox, or one it published itself. Rules trigger on them, sequences exit on them.
 */
export interface AutomationEvent {
  /** The envelope's id (CloudEvents `id`): with the listener's name, what makes a reaction happen once. */
  id: string;
  /** The versioned contract name, e.g. `sales-automation.order.recorded.v1`. */
  type: string;
  tenantId: string;
  /** When it happened (ISO 8601). */
  time: string;
  data: Record<string, unknown>;
  correlationId?: string;
  /** How many rule actions led to this event (0 for a user's or an ERP's act): the rules' depth limit reads it. */
  automationDepth?: number;
}

export type AutomationEventListener = (event: AutomationEvent) => Promise<void>;

/**
 * `exits` run before `reactions`: a second purchase first ends the enrolment the first one began,
 * then the rules react to it (and may enrol the contact again), whatever order modules start in.
 */
export type AutomationListenerPhase = 'exits' | 'reactions';
const PHASES: readonly AutomationListenerPhase[] = ['exits', 'reactions'];

/**
 * The one place events reach the automation features: handlers call `emit` after applying an
 * event; rules and sequences `listen` from their modules' onModuleInit. A listener's failure
 * fails the emit, so the inbox redelivers the event (listeners must therefore be idempotent per
 * event id).
 */
@Injectable()
export class AutomationEvents {
  private readonly logger = new Logger(AutomationEvents.name);
  private readonly listeners = new Map<string, { listener: AutomationEventListener; phase: AutomationListenerPhase }>();

  listen(name: string, listener: AutomationEventListener, phase: AutomationListenerPhase = 'reactions'): void {
    if (this.listeners.has(name)) throw new Error(`automation event listener "${name}" registered twice`);
    this.listeners.set(name, { listener, phase });
  }

  async emit(event: AutomationEvent): Promise<void> {
    const ordered = PHASES.flatMap((phase) => [...this.listeners].filter(([, entry]) => entry.phase === phase));
    for (const [name, { listener }] of ordered) {
      try {
        await listener(event);
      } catch (error) {
        this.logger.warn(`listener ${name} failed on ${event.type} ${event.id}`);
        throw error;
      }
    }
  }
}
