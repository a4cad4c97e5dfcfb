import { DynamicModule, Module } from '@nestjs/common';
import { TypedConfigModule } from '@crm/config';
import { ServiceCoreModule } from '@crm/service-kit';
import { AppConfig, SERVICE_NAME } from './app.config';
import { EchoHandler } from './diagnostics/echo/echo.handler';
import { AttachmentsModule } from './attachments/attachments.module';
import { ChatModule } from './chat/chat.module';
import { EmailInModule } from './email-in/email-in.module';
import { GroupsModule } from './groups/groups.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { JobsModule } from './infrastructure/jobs/jobs.module';
import { KbModule } from './kb/kb.module';
import { MacrosModule } from './macros/macros.module';
import { DatabasePool } from './infrastructure/database/database-pool';
import { MailboxesModule } from './mailboxes/mailboxes.module';
import { PhoneModule } from './phone/phone.module';
import { PortalModule } from './portal/portal.module';
import { RequestersModule } from './requesters/requesters.module';
import { SlaModule } from './sla/sla.module';
import { TicketEventsModule } from './ticket-events/ticket-events.module';
import { TicketFieldsModule } from './ticket-fields/ticket-fields.module';
import { TicketsModule } from './tickets/tickets.module';
import { WebFormModule } from './web-form/web-form.module';

@Module({})
export class AppModule {
  /** Built from the config main.ts has already validated, so every forRoot gets plain values. */
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypedConfigModule.register(AppConfig, { values: config }),
        ServiceCoreModule.forRoot({
          service: SERVICE_NAME,
          config,
          database: DatabaseModule,
          sqlTransactionsOn: DatabasePool,
          databaseUrl: config.SUPPORT_TICKETS_DATABASE_URL,
        }),
        JobsModule,
        TicketsModule,
        TicketFieldsModule,
        AttachmentsModule,
        MailboxesModule,
        EmailInModule,
        SlaModule,
        RequestersModule,
        PortalModule,
        KbModule,
        ChatModule,
        GroupsModule,
        MacrosModule,
        PhoneModule,
        WebFormModule,
        TicketEventsModule,
      ],
      controllers: [EchoHandler],
    };
  }
}
