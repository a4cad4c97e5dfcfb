import { Global, Module } from '@nestjs/common';
import { ApiClientLookup } from './api-client-lookup';
import { ApiClientStatus } from './api-client-status';
import { ApiClientRepository } from './api-client.repository';
import { CreateApiClientHandler } from './create-api-client/create-api-client.handler';
import { CreateApiClientService } from './create-api-client/create-api-client.service';
import { GetApiClientHandler } from './get-api-client/get-api-client.handler';
import { ListApiClientsHandler } from './list-api-clients/list-api-clients.handler';
import { ListApiClientsService } from './list-api-clients/list-api-clients.service';
import { RevokeApiClientHandler } from './revoke-api-client/revoke-api-client.handler';
import { RevokeApiClientService } from './revoke-api-client/revoke-api-client.service';
import { RotateApiClientSecretHandler } from './rotate-api-client-secret/rotate-api-client-secret.handler';
import { RotateApiClientSecretService } from './rotate-api-client-secret/rotate-api-client-secret.service';
import { UpdateApiClientHandler } from './update-api-client/update-api-client.handler';
import { UpdateApiClientService } from './update-api-client/update-api-client.service';

/**
 * API clients (machine credentials) answered over the bus for the API gateway's tenant admins.
 * Global: ErpAuthGuard reads ApiClientStatus, the token endpoint ApiClientRepository.
 */
@Global()
@Module({
  controllers: [
    CreateApiClientHandler,
    ListApiClientsHandler,
    GetApiClientHandler,
    UpdateApiClientHandler,
    RotateApiClientSecretHandler,
    RevokeApiClientHandler,
  ],
  providers: [
    ApiClientRepository,
    ApiClientLookup,
    ApiClientStatus,
    CreateApiClientService,
    ListApiClientsService,
    UpdateApiClientService,
    RotateApiClientSecretService,
    RevokeApiClientService,
  ],
  exports: [ApiClientRepository, ApiClientStatus],
})
export class ApiClientsModule {}
