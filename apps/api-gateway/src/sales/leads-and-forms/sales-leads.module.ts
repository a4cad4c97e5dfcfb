import { Module } from '@nestjs/common';
import { FormSubmissionsController } from './forms/form-submissions.controller';
import { FormsController } from './forms/forms.controller';
import { LeadsController } from './leads/leads.controller';

/** The leads and web-to-lead forms routes (and the public submission route), answered by the sales-automation service over the bus. */
@Module({ controllers: [LeadsController, FormsController, FormSubmissionsController] })
export class SalesLeadsModule {}
