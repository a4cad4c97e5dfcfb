import { Module } from '@nestjs/common';
import { SyncLogModule } from '../sync-log/sync-log.module';
import { FieldOwnershipRepository } from './field-ownership/field-ownership.repository';
import { GetFieldOwnershipHandler } from './field-ownership/get-field-ownership/get-field-ownership.handler';
import { SetFieldOwnershipHandler } from './field-ownership/set-field-ownership/set-field-ownership.handler';
import { SetFieldOwnershipService } from './field-ownership/set-field-ownership/set-field-ownership.service';
import { RecordErpOrderController } from './record-erp-order/record-erp-order.controller';
import { RecordErpOrderService } from './record-erp-order/record-erp-order.service';
import { DealWonHandler } from './request-sales-order/deal-won.handler';
import { RequestSalesOrderService } from './request-sales-order/request-sales-order.service';

/** Business-process sync: won deals ask the ERP for orders, the ERP's order numbers land on deals, field ownership. */
@Module({
  imports: [SyncLogModule],
  controllers: [DealWonHandler, RecordErpOrderController, GetFieldOwnershipHandler, SetFieldOwnershipHandler],
  providers: [RequestSalesOrderService, RecordErpOrderService, SetFieldOwnershipService, FieldOwnershipRepository],
  exports: [FieldOwnershipRepository],
})
export class ProcessSyncModule {}
