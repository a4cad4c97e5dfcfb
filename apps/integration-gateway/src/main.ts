import { connectMessaging } from '@crm/messaging';
import { bootstrapService } from '@crm/observability';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi/setup-openapi';

void bootstrapService({
  name: SERVICE_NAME,
  loadConfig: () => AppConfig.load(),
  module: (config) => AppModule.register(config),
  configure: (app) => {
    // The ERP routes' OpenAPI document at /docs-json (Swagger UI at /docs), public.
    setupOpenApi(app);
    // Its commands, queries and events reach the @OnRpc / @OnEvent handlers through Nest's microservice pipeline.
    void connectMessaging(app);
  },
  dependencies: (config) => [
    { name: 'Postgres', url: config.INTEGRATION_GATEWAY_DATABASE_URL },
    { name: 'RabbitMQ', url: config.RABBITMQ_URL },
  ],
});
