import { Controller } from '@nestjs/common';
import { DomainError, getBusinessHours, putBusinessHours, RpcRequest, validationFailed } from '@crm/contracts';
import { OnRpc, TenantCallContext } from '@crm/messaging';
import { Clock } from '@crm/service-kit';
import { knowsHolidaysOf } from '../business-calendar';
import { toBusinessHoursView } from '../sla.mapper';
import { SlaRepository } from '../sla.repository';

/** The tenant's business hours: read, and replaced as a whole (If-Match). New timers count in them. */
@Controller()
export class BusinessHoursHandler {
  constructor(
    private readonly sla: SlaRepository,
    private readonly clock: Clock,
  ) {}

  @OnRpc(getBusinessHours, { scope: 'tenant' })
  async get(_request: unknown, { tenantId }: TenantCallContext) {
    return toBusinessHoursView(await this.sla.businessHours(tenantId));
  }

  @OnRpc(putBusinessHours, { scope: 'tenant' })
  async put({ hours, expectedVersion }: RpcRequest<typeof putBusinessHours>, { tenantId }: TenantCallContext) {
    if (hours.publicHolidays && !knowsHolidaysOf(hours.publicHolidays.country)) {
      throw validationFailed([{ path: 'hours.publicHolidays.country', message: `no public holidays are known for ${hours.publicHolidays.country}` }]);
    }
    const current = (await this.sla.businessHours(tenantId))?.version ?? 1;
    if (expectedVersion !== undefined && expectedVersion !== current) {
      throw new DomainError('PRECONDITION_FAILED', `The business hours are at version ${current}, not ${expectedVersion}.`, { currentVersion: current });
    }
    const row = await this.sla.putBusinessHours(tenantId, hours, expectedVersion, this.clock.now());
    if (!row) throw new DomainError('PRECONDITION_FAILED', 'The business hours changed meanwhile; read them again.');
    return toBusinessHoursView(row);
  }
}
