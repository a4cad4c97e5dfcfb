import { connectMessaging } from '@crm/messaging';
import { bootstrapService } from '@crm/observability';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';

void bootstrapService({
  name: SERVICE_NAME,
  loadConfig: () => AppConfig.load(),
  module: (config) => AppModule.register(config),
  // Its commands, queries and events reach the @OnRpc / @OnEvent handlers through Nest's microservice pipeline.
  configure: (app) => void connectMessaging(app),
  dependencies: (config) => [
    { name: 'Postgres', url: config.ANALYTICS_DATABASE_URL },
    { name: 'RabbitMQ', url: config.RABBITMQ_URL },
  ],
});
