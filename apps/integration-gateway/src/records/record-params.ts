import { ERP_OBJECTS } from './erp-objects';

/** The path every single-record route shares, and its parameters as the document shows them. */
export const RECORD_PATH = ':object/:system/:externalId';
export const OBJECT_PARAM = { name: 'object', enum: ERP_OBJECTS, description: 'contacts and companies: PUT, GET, DELETE; products and orders: PUT' };
export const SYSTEM_PARAM = { name: 'system', description: 'The ERP system whose ids these are, e.g. sap-prod' };
export const EXTERNAL_ID_PARAM = { name: 'externalId', description: "The record's id in that system" };

export interface RecordParams {
  object: string;
  system: string;
  externalId: string;
}
