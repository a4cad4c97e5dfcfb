import { Module } from '@nestjs/common';
import { ProductsModule } from '../products/products.module';
import { ChangeOrderStatusHandler } from './change-order-status/change-order-status.handler';
import { ChangeOrderStatusService } from './change-order-status/change-order-status.service';
import { GetOrderHandler } from './get-order/get-order.handler';
import { ListOrdersHandler } from './list-orders/list-orders.handler';
import { ListOrdersService } from './list-orders/list-orders.service';
import { OrderRepository } from './order.repository';
import { RecordOrderHandler } from './record-order/record-order.handler';
import { RecordOrderService } from './record-order/record-order.service';

/** Purchase history: record an order, read it, list a customer's, move its status along. */
@Module({
  imports: [ProductsModule],
  controllers: [RecordOrderHandler, GetOrderHandler, ListOrdersHandler, ChangeOrderStatusHandler],
  providers: [OrderRepository, RecordOrderService, ListOrdersService, ChangeOrderStatusService],
})
export class OrdersModule {}
