import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import { buildAsyncApiDocument } from './asyncapi-document';

/** The AsyncAPI 3 document of the change feed and webhooks: public, like the OpenAPI docs. */
@Public()
@ApiExcludeController()
@Controller('erp/v1')
export class AsyncApiController {
  private readonly document = buildAsyncApiDocument();

  @Get('asyncapi.json')
  asyncapi() {
    return this.document;
  }
}
