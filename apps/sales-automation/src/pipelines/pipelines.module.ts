import { Module } from '@nestjs/common';
import { SalesCursors } from '../shared/sales-cursors';
import { CreatePipelineHandler } from './create-pipeline/create-pipeline.handler';
import { CreatePipelineService } from './create-pipeline/create-pipeline.service';
import { DeletePipelineHandler } from './delete-pipeline/delete-pipeline.handler';
import { DeletePipelineService } from './delete-pipeline/delete-pipeline.service';
import { GetPipelineHandler } from './get-pipeline/get-pipeline.handler';
import { ListPipelinesHandler } from './list-pipelines/list-pipelines.handler';
import { PipelineRepository } from './pipeline.repository';
import { UpdatePipelineHandler } from './update-pipeline/update-pipeline.handler';
import { UpdatePipelineService } from './update-pipeline/update-pipeline.service';

/** Pipelines and their ordered stages. */
@Module({
  controllers: [CreatePipelineHandler, GetPipelineHandler, ListPipelinesHandler, UpdatePipelineHandler, DeletePipelineHandler],
  providers: [PipelineRepository, SalesCursors, CreatePipelineService, UpdatePipelineService, DeletePipelineService],
})
export class PipelinesModule {}
