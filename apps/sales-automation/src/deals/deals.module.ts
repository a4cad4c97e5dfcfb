import { Module } from '@nestjs/common';
import { StageLookup } from '../pipelines/stage-lookup';
import { CloseDealHandler } from './close-deal/close-deal.handler';
import { CloseDealService } from './close-deal/close-deal.service';
import { CreateDealHandler } from './create-deal/create-deal.handler';
import { CreateDealService } from './create-deal/create-deal.service';
import { CustomerNames } from './customer-names';
import { DealHistoryHandler } from './deal-history/deal-history.handler';
import { DealLookup } from './deal-lookup';
import { DealRepository } from './deal.repository';
import { DeleteDealHandler } from './delete-deal/delete-deal.handler';
import { DeleteDealService } from './delete-deal/delete-deal.service';
import { GetDealHandler } from './get-deal/get-deal.handler';
import { DealListRepository } from './list-deals/deal-list.repository';
import { ListDealsHandler } from './list-deals/list-deals.handler';
import { ListDealsService } from './list-deals/list-deals.service';
import { MoveDealHandler } from './move-deal/move-deal.handler';
import { MoveDealService } from './move-deal/move-deal.service';
import { RecordErpOrderHandler } from './record-erp-order/record-erp-order.handler';
import { RecordErpOrderService } from './record-erp-order/record-erp-order.service';
import { SalesCursors } from '../shared/sales-cursors';
import { UpdateDealHandler } from './update-deal/update-deal.handler';
import { UpdateDealService } from './update-deal/update-deal.service';

/** Deals: create, read, list (the board), update, move through stages, win and lose. CreateDealService is exported for lead conversion. */
@Module({
  controllers: [
    CreateDealHandler,
    GetDealHandler,
    ListDealsHandler,
    UpdateDealHandler,
    DeleteDealHandler,
    MoveDealHandler,
    CloseDealHandler,
    DealHistoryHandler,
    RecordErpOrderHandler,
  ],
  providers: [
    DealRepository,
    DealListRepository,
    DealLookup,
    StageLookup,
    CustomerNames,
    SalesCursors,
    CreateDealService,
    ListDealsService,
    UpdateDealService,
    DeleteDealService,
    MoveDealService,
    CloseDealService,
    RecordErpOrderService,
  ],
  exports: [CreateDealService],
})
export class DealsModule {}
