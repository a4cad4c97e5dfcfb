import { Module } from '@nestjs/common';
import { JobsModule } from '../infrastructure/jobs/jobs.module';
import { ContactExportFileService } from './contact-export-file/contact-export-file.service';
import { ContactExportRepository } from './contact-export.repository';
import { CreateContactExportService } from './create-contact-export/create-contact-export.service';
import { ExportsController } from './exports.controller';
import { GetContactExportService } from './get-contact-export/get-contact-export.service';
import { ProcessContactExportsJob } from './process-contact-exports/process-contact-exports.job';
import { ProcessContactExportsService } from './process-contact-exports/process-contact-exports.service';

/** Contacts exports (/erp/v1/exports): files built by a pg-boss job from the contacts list. */
@Module({
  imports: [JobsModule],
  controllers: [ExportsController],
  providers: [
    ContactExportRepository,
    CreateContactExportService,
    GetContactExportService,
    ContactExportFileService,
    ProcessContactExportsService,
    ProcessContactExportsJob,
  ],
})
export class ExportsModule {}
