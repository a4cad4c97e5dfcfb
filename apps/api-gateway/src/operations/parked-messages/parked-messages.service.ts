import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { ParkedMessage, ParkingLot, ServiceParking, WorkQueueMissingError } from '@crm/messaging';
import { isKnownService } from '../../edge/services';
import type { ParkedMessageSummary } from './parked-messages.dto';

/**
 * Whose parked messages a caller sees: a tenant admin, its own tenant's only (a message whose
 * tenant cannot be read is never shown to a tenant); the platform operator, every tenant's.
 */
export type ParkedScope = { tenantId: string } | 'all-tenants';

/** Another service's parking queue: what failed, and re-driving it once fixed. */
@Injectable()
export class ParkedMessagesService {
  constructor(private readonly parkingLot: ParkingLot) {}

  /** The envelope and the error of each message, never its body. */
  async list(scope: ParkedScope, service: string, limit: number): Promise<{ data: ParkedMessageSummary[] }> {
    const messages = await this.parkingOf(service).list(limit, filterOf(scope));
    return { data: messages.map(summaryOf) };
  }

  /** One message with its body; 404 when absent or another tenant's. */
  async get(scope: ParkedScope, service: string, id: string): Promise<ParkedMessageSummary & { body: string }> {
    const message = await this.parkingOf(service).get(id, filterOf(scope));
    if (!message) throw new DomainError('NOT_FOUND', 'There is no such parked message.');
    return { ...summaryOf(message), body: message.body };
  }

  async redrive(scope: ParkedScope, service: string, ids?: string[]): Promise<{ redriven: number }> {
    try {
      return await this.parkingOf(service).redrive(ids, filterOf(scope));
    } catch (error) {
      if (error instanceof WorkQueueMissingError) {
        throw new DomainError('CONFLICT', `The ${service} service has no work queue yet; start it before re-driving.`);
      }
      throw error;
    }
  }

  // Only known names become queue names: a caller cannot make the gateway touch arbitrary queues.
  private parkingOf(service: string): ServiceParking {
    if (!isKnownService(service)) throw new DomainError('NOT_FOUND', `There is no service named ${service}.`);
    return this.parkingLot.forService(service);
  }
}

function filterOf(scope: ParkedScope): { tenantId?: string } {
  if (scope === 'all-tenants') return {};
  // Never an empty filter for a tenant: that would read as "every tenant".
  if (!scope.tenantId) throw new DomainError('FORBIDDEN', 'You are not allowed to do this.');
  return { tenantId: scope.tenantId };
}

function summaryOf({ id, type, source, tenantId, subject, time, reason, error, retries, parkedAt }: ParkedMessage): ParkedMessageSummary {
  return { id, type, source, tenantId, subject, time, reason, error, retries, parkedAt };
}
