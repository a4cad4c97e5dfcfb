import { bootstrapService } from '@crm/observability';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';
import { connectGatewayMessaging } from './bus/connect-gateway-messaging';
import { configureHttp, httpServerOptions } from './http/configure-http';
import { setupOpenApi } from './openapi/setup-openapi';

void bootstrapService({
  name: SERVICE_NAME,
  loadConfig: () => AppConfig.load(),
  module: (config) => AppModule.register(config),
  serverOptions: httpServerOptions,
  configure: async (app, config) => {
    await configureHttp(app, config);
    setupOpenApi(app);
    connectGatewayMessaging(app);
  },
  dependencies: (config) => [
    { name: 'Postgres', url: config.API_GATEWAY_DATABASE_URL },
    { name: 'Redis', url: config.REDIS_URL },
    { name: 'RabbitMQ', url: config.RABBITMQ_URL },
  ],
});
