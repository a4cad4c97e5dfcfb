import { Module } from '@nestjs/common';
import { AppConfig } from '../app.config';
import { TicketRepository } from '../tickets/ticket.repository';
import { AttachmentStorage } from './attachment-storage';
import { FilesystemAttachmentStorage } from './filesystem-attachment-storage';
import { GetAttachmentHandler } from './get-attachment/get-attachment.handler';
import { GetAttachmentService } from './get-attachment/get-attachment.service';
import { S3AttachmentStorage } from './s3-attachment-storage';

/** Attachment bytes: the storage the config picks (a directory, or an S3-compatible bucket), and their download. */
@Module({
  controllers: [GetAttachmentHandler],
  providers: [
    TicketRepository,
    {
      provide: AttachmentStorage,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.SUPPORT_TICKETS_ATTACHMENTS_STORE === 's3' ? new S3AttachmentStorage(config) : new FilesystemAttachmentStorage(config),
    },
    GetAttachmentService,
  ],
  exports: [AttachmentStorage],
})
export class AttachmentsModule {}
