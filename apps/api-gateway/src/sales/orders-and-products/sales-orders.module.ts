import { Module } from '@nestjs/common';
import { ContactOrdersController } from './orders/contact-orders.controller';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';

/** The products and orders routes, answered by the sales-automation service over the bus. */
@Module({ controllers: [ProductsController, OrdersController, ContactOrdersController] })
export class SalesOrdersModule {}
