import { Module } from '@nestjs/common';
import { ActivitiesController } from './activities/activities.controller';
import { CompaniesController } from './companies/companies.controller';
import { ContactPrivacyController } from './contacts/contact-privacy.controller';
import { ContactsController } from './contacts/contacts.controller';
import { CustomFieldsController } from './custom-fields/custom-fields.controller';
import { InteractionsController } from './interactions/interactions.controller';

/** The customer records routes, answered by the contacts service over the bus. */
@Module({
  controllers: [ContactsController, ContactPrivacyController, InteractionsController, ActivitiesController, CompaniesController, CustomFieldsController],
})
export class CrmRecordsModule {}
