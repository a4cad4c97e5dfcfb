import { Module } from '@nestjs/common';
import { DealsModule } from '../deals/deals.module';
import { SalesCursors } from '../shared/sales-cursors';
import { CreateFormHandler } from '../forms/create-form/create-form.handler';
import { CreateFormService } from '../forms/create-form/create-form.service';
import { DeleteFormHandler } from '../forms/delete-form/delete-form.handler';
import { DeleteFormService } from '../forms/delete-form/delete-form.service';
import { FormLookup } from '../forms/form-lookup';
import { FormOriginsHandler } from '../forms/form-origins/form-origins.handler';
import { GetFormHandler } from '../forms/get-form/get-form.handler';
import { LeadFormRepository } from '../forms/lead-form.repository';
import { ListFormsHandler } from '../forms/list-forms/list-forms.handler';
import { SubmitFormHandler } from '../forms/submit-form/submit-form.handler';
import { UpdateFormHandler } from '../forms/update-form/update-form.handler';
import { UpdateFormService } from '../forms/update-form/update-form.service';
import { ConversionRecord } from './convert-lead/conversion-record';
import { ConvertLeadHandler } from './convert-lead/convert-lead.handler';
import { ConvertLeadService } from './convert-lead/convert-lead.service';
import { LeadContacts } from './convert-lead/lead-contacts';
import { CreateLeadHandler } from './create-lead/create-lead.handler';
import { CreateLeadService } from './create-lead/create-lead.service';
import { DeleteLeadHandler, DeleteLeadService } from './delete-lead/delete-lead.handler';
import { DisqualifyLeadHandler } from './disqualify-lead/disqualify-lead.handler';
import { DisqualifyLeadService } from './disqualify-lead/disqualify-lead.service';
import { GetLeadHandler } from './get-lead/get-lead.handler';
import { LeadLookup } from './lead-lookup';
import { LeadRepository } from './lead.repository';
import { ListLeadsHandler } from './list-leads/list-leads.handler';
import { ListLeadsService } from './list-leads/list-leads.service';
import { UpdateLeadHandler } from './update-lead/update-lead.handler';
import { UpdateLeadService } from './update-lead/update-lead.service';

/** Leads (CRUD, disqualify, conversion into contact, company and deal) and the web-to-lead forms that create them. */
@Module({
  imports: [DealsModule],
  controllers: [
    CreateLeadHandler,
    GetLeadHandler,
    ListLeadsHandler,
    UpdateLeadHandler,
    DeleteLeadHandler,
    DisqualifyLeadHandler,
    ConvertLeadHandler,
    CreateFormHandler,
    GetFormHandler,
    ListFormsHandler,
    UpdateFormHandler,
    DeleteFormHandler,
    SubmitFormHandler,
    FormOriginsHandler,
  ],
  providers: [
    LeadRepository,
    LeadLookup,
    SalesCursors,
    CreateLeadService,
    ListLeadsService,
    UpdateLeadService,
    DeleteLeadService,
    DisqualifyLeadService,
    LeadContacts,
    ConversionRecord,
    ConvertLeadService,
    LeadFormRepository,
    FormLookup,
    CreateFormService,
    UpdateFormService,
    DeleteFormService,
  ],
})
export class LeadsModule {}
