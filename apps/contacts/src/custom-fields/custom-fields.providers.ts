import { CustomFieldValuesValidator } from './custom-field-values.validator';
import { CustomFieldRepository } from './custom-field.repository';
import { DefineCustomFieldHandler } from './define-custom-field/define-custom-field.handler';
import { DefineCustomFieldService } from './define-custom-field/define-custom-field.service';
import { DeleteCustomFieldHandler } from './delete-custom-field/delete-custom-field.handler';
import { ListCustomFieldsHandler } from './list-custom-fields/list-custom-fields.handler';
import { UpdateCustomFieldHandler } from './update-custom-field/update-custom-field.handler';
import { UpdateCustomFieldService } from './update-custom-field/update-custom-field.service';

export const customFieldProviders = [CustomFieldRepository, CustomFieldValuesValidator, DefineCustomFieldService, UpdateCustomFieldService];

/** The area's message handlers: controllers, so Nest registers their @OnRpc / @OnEvent patterns. */
export const customFieldControllers = [DefineCustomFieldHandler, ListCustomFieldsHandler, UpdateCustomFieldHandler, DeleteCustomFieldHandler];
