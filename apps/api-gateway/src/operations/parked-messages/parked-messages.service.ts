import { Injectable } from '@nestjs/common';
import { DomainError } from '@crm/contracts';
import { ParkedMessage, ParkingLot, ServiceParking, WorkQueueMissingError } from '@crm/messaging';
import { isKnownService } from '../../edge/services';

/** Operators' view of another service's parking queue: what failed, and re-driving it once fixed. */
@Injectable()
export class ParkedMessagesService {
  constructor(private readonly parkingLot: ParkingLot) {}

  async list(service: string, limit: number): Promise<{ data: ParkedMessage[] }> {
    return { data: await this.parkingOf(service).list(limit) };
  }

  async redrive(service: string, ids?: string[]): Promise<{ redriven: number }> {
    try {
      return await this.parkingOf(service).redrive(ids);
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
