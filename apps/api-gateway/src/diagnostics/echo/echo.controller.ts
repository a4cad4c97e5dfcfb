import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { Actor } from '@crm/contracts';
import { CurrentActor } from '../../authz/current-actor.decorator';
import { RequirePermission } from '../../authz/require-permission.decorator';
import { ZodValidationPipe } from '@crm/service-kit';
import { EchoQuery, echoQuerySchema } from './echo.dto';
import { EchoService } from './echo.service';

@Controller('api/v1/diagnostics')
export class EchoController {
  constructor(private readonly echoService: EchoService) {}

  @ApiOperation({ operationId: 'echoService', summary: 'Round trip to a service over the bus' })
  @Get(':service/echo')
  @RequirePermission('diagnostics', 'read')
  echo(@Param('service') service: string, @Query(new ZodValidationPipe(echoQuerySchema)) query: EchoQuery, @CurrentActor() actor: Actor) {
    return this.echoService.echo(service, query.payload, actor);
  }
}
