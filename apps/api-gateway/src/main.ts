import { bootstrapService } from '@crm/observability';
import { AppConfig, SERVICE_NAME } from './app.config';
import { AppModule } from './app.module';
import { configureHttp, httpServerOptions } from './http/configure-http';

void bootstrapService({
  name: SERVICE_NAME,
  loadConfig: () => AppConfig.load(),
  module: (config) => AppModule.register(config),
  serverOptions: httpServerOptions,
  configure: configureHttp,
  dependencies: (config) => [
    { name: 'Postgres', url: config.API_GATEWAY_DATABASE_URL },
    { name: 'Redis', url: config.REDIS_URL },
    { name: 'RabbitMQ', url: config.RABBITMQ_URL },
  ],
});
