import { Module } from '@nestjs/common';
import { ProductsModule } from '../products/products.module';
import { ChangeOrderStatusHandler } from './change-order-status/change-order-status.handler';
import { ChangeOrderStatusService } from './change-order-status/change-order-status.service';
import { GetOrderHandler } from './get-order/get-order.handler';
import { GetOrderExternalHandler } from './get-order-external/get-order-external.handler';
import { ListOrdersHandler } from './list-orders/list-orders.handler';
import { ListOrdersService } from './list-orders/list-orders.service';
import { OrderRepository } from './order.repository';
import { RecordOrderHandler } from './record-order/record-order.handler';
import { RecordOrderService } from './record-order/record-order.service';
import { ErpOrderFactsService } from './upsert-orders-external/erp-order-facts.service';
import { OrderCustomers } from './upsert-orders-external/order-customers';
import { UpsertOrdersExternalHandler } from './upsert-orders-external/upsert-orders-external.handler';
import { UpsertOrdersExternalService } from './upsert-orders-external/upsert-orders-external.service';

/** Purchase history: record an order, read it, list a customer's, move its status along; an ERP's orders upserted by its ids. */
@Module({
  imports: [ProductsModule],
  controllers: [RecordOrderHandler, GetOrderHandler, ListOrdersHandler, ChangeOrderStatusHandler, UpsertOrdersExternalHandler, GetOrderExternalHandler],
  providers: [
    OrderRepository,
    RecordOrderService,
    ListOrdersService,
    ChangeOrderStatusService,
    OrderCustomers,
    ErpOrderFactsService,
    UpsertOrdersExternalService,
  ],
})
export class OrdersModule {}
