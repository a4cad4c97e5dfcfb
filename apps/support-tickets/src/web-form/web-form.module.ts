import { Module } from '@nestjs/common';
import { PortalModule } from '../portal/portal.module';
import { ManageSupportFormsHandler } from './manage-forms/manage-forms.handler';
import { SubmitSupportFormHandler } from './submit-form/submit-form.handler';
import { SupportFormRepository } from './support-form.repository';

/** The public "contact support" web form: forms per tenant, and their submissions as tickets. */
@Module({ imports: [PortalModule], controllers: [ManageSupportFormsHandler, SubmitSupportFormHandler], providers: [SupportFormRepository] })
export class WebFormModule {}
