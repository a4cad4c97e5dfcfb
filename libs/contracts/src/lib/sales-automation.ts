import { z } from 'zod';
import { customFieldValueSchema, pageOf, pageRequestSchema } from './contacts';
import { defineCommand, defineEvent, defineQuery } from './define';
import {
  externalDeleteRequestSchema,
  externalLookupRequestSchema,
  externalResultsSchema,
  externalSystemSchema,
  externalUpsertRequestSchema,
} from './external-records';
import { diagnosticsEcho } from './diagnostics';
import { personal } from './personal-data';

/**
 * Messages of the sales-automation service: products, orders (purchase history), leads and
 * web-to-lead forms, pipelines, deals and tasks. Named `sales-automation.<entity>.<action>`.
 * Field names are the API's (camelCase); money is integer minor units with an ISO 4217
 * currency (`amountMinor: 1999, currency: 'EUR'` is 19.99 EUR); times are ISO 8601 in UTC.
 */

/** The diagnostics echo every service answers (probes, benchmarks). */
export const salesAutomationEcho = diagnosticsEcho('sales-automation');

// ---------------------------------------------------------------------------------------------
// Shared pieces

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));
/** An ISO 4217 currency code (upper case), as Node's ICU data knows them. */
export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code such as EUR')
  .refine((code) => ISO_4217.has(code), 'must be an ISO 4217 currency code such as EUR');
/** An amount in minor units (cents): a whole number, never a float, within JavaScript's safe integers. */
export const moneyMinorSchema = z.number().int('must be a whole number of minor units (cents)').min(0).max(Number.MAX_SAFE_INTEGER);
export const quantitySchema = z.number().int('must be a whole number').min(1).max(1_000_000);

const salesId = z.uuid();
const salesVersion = z.number().int().positive();
const salesTimestamp = z.iso.datetime({ offset: true });
export { salesId, salesTimestamp, salesVersion };

// ---------------------------------------------------------------------------------------------
// Products

export const productInputSchema = z.object({
  /** Stock-keeping unit: unique per tenant (a second product with it answers 409 naming `sku`). */
  sku: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5_000).nullable().optional(),
  unitPriceMinor: moneyMinorSchema,
  currency: currencySchema,
  active: z.boolean().optional(),
  /** The ERP's id of the product: unique per tenant. */
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
});
export type ProductInput = z.infer<typeof productInputSchema>;
export const productSchema = z.object({
  id: salesId,
  sku: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unitPriceMinor: z.number().int(),
  currency: z.string(),
  active: z.boolean(),
  externalId: z.string().nullable(),
  /** The outside system `externalId` belongs to (set by ERP upserts; null when set through the API). */
  externalSystem: z.string().nullable().optional(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Product = z.infer<typeof productSchema>;
export const productListFilterSchema = z.object({
  active: z.boolean().optional(),
  /** Products whose name or SKU contains the text (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
});

export const createProduct = defineCommand('sales-automation.product.create', 1, {
  request: z.object({ product: productInputSchema }),
  response: productSchema,
});
export const getProduct = defineQuery('sales-automation.product.get', 1, { request: z.object({ id: salesId }), response: productSchema });
/** By name, then id. */
export const listProducts = defineQuery('sales-automation.product.list', 1, {
  request: pageRequestSchema.extend({ filter: productListFilterSchema.default({}) }),
  response: pageOf(productSchema),
});
export const updateProduct = defineCommand('sales-automation.product.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: productInputSchema.partial() }),
  response: productSchema,
});
/** Soft delete: the product leaves the catalogue; orders and deals that name it keep their copy of its SKU, name and price. */
export const deleteProduct = defineCommand('sales-automation.product.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId, deleted: z.literal(true) }),
});

export const productCreated = defineEvent('sales-automation.product.created', 1, z.object({ product: productSchema }));
/** `changed`: the fields whose value changed (API names). */
export const productUpdated = defineEvent('sales-automation.product.updated', 1, z.object({ product: productSchema, changed: z.array(z.string()) }));
export const productDeleted = defineEvent('sales-automation.product.deleted', 1, z.object({ productId: salesId, deletedAt: salesTimestamp }));

// ---------------------------------------------------------------------------------------------
// Orders (purchase history)

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_CHANNELS = ['web', 'store', 'phone', 'marketplace', 'erp', 'other'] as const;
/**
 * The status changes an order allows: placed → paid → shipped; cancelled from any status before
 * shipped; refunded once paid or shipped. Anything else answers 409 with code `INVALID_STATUS_TRANSITION`.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled', 'refunded'],
  shipped: ['refunded'],
  cancelled: [],
  refunded: [],
};

/**
 * A line as recorded: a catalogue product (`productId`: its SKU, name and unit price are the
 * defaults) or a free line (`name` and `unitPriceMinor` required). Its discount is at most its
 * gross (quantity × unit price).
 */
export const orderLineInputSchema = z.object({
  productId: salesId.optional(),
  sku: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  quantity: quantitySchema,
  unitPriceMinor: moneyMinorSchema.optional(),
  discountMinor: moneyMinorSchema.optional(),
});
export const PAYMENT_STATUSES = ['unpaid', 'partially_paid', 'paid', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
/** The ERP's invoice of an order: its number, its status in the ERP (e.g. issued, cancelled), when issued and due. */
export const orderInvoiceSchema = z.object({
  number: z.string().trim().min(1).max(200),
  status: z.string().trim().min(1).max(50),
  issuedAt: salesTimestamp.nullable().optional(),
  dueAt: salesTimestamp.nullable().optional(),
});
export type OrderInvoice = z.infer<typeof orderInvoiceSchema>;

export const orderInputSchema = z.object({
  contactId: salesId.nullable().optional(),
  companyId: salesId.nullable().optional(),
  /** Every line's product must be priced in it. */
  currency: currencySchema,
  lines: z.array(orderLineInputSchema).min(1, 'an order needs at least one line').max(200),
  purchasedAt: salesTimestamp,
  channel: z.enum(ORDER_CHANNELS).default('other'),
  /** What an order is recorded as (an ERP may record one already paid or shipped). */
  status: z.enum(['placed', 'paid', 'shipped']).default('placed'),
  /** The order's number in `externalSystem` (both or neither): unique per tenant and system. */
  externalId: z.string().trim().min(1).max(200).optional(),
  externalSystem: z.string().trim().min(1).max(100).optional(),
  /** What the ERP knows already (an order recorded invoiced or paid). */
  invoice: orderInvoiceSchema.optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).optional(),
  paidAt: salesTimestamp.optional(),
});
export type OrderInput = z.input<typeof orderInputSchema>;

export const orderLineSchema = z.object({
  productId: salesId.nullable(),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  discountMinor: z.number().int(),
  totalMinor: z.number().int(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;
/** An order with its totals as the service computed them: subtotal (lines' gross), discount (lines' discounts), total. */
export const orderSchema = z.object({
  id: salesId,
  contactId: salesId.nullable(),
  companyId: salesId.nullable(),
  currency: z.string(),
  subtotalMinor: z.number().int(),
  discountMinor: z.number().int(),
  totalMinor: z.number().int(),
  purchasedAt: salesTimestamp,
  channel: z.enum(ORDER_CHANNELS),
  status: z.enum(ORDER_STATUSES),
  externalId: z.string().nullable(),
  externalSystem: z.string().nullable(),
  /** The ERP's invoice and the payment status (null until an ERP tells). */
  invoice: z.object({ number: z.string(), status: z.string(), issuedAt: salesTimestamp.nullable(), dueAt: salesTimestamp.nullable() }).nullable().optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).nullable().optional(),
  paidAt: salesTimestamp.nullable().optional(),
  lines: z.array(orderLineSchema),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Order = z.infer<typeof orderSchema>;
export const orderListFilterSchema = z.object({
  contactId: salesId.optional(),
  companyId: salesId.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  /** Purchased at or after. */
  purchasedFrom: salesTimestamp.optional(),
  /** Purchased before. */
  purchasedTo: salesTimestamp.optional(),
});

/**
 * Records an order. Re-recording an order of an external system (same `externalSystem` and
 * `externalId`) answers 409 with code `EXTERNAL_ORDER_EXISTS` naming `order.externalId` and
 * carrying `existingOrderId`: an import that retries reads that order instead of doubling it.
 */
export const recordOrder = defineCommand('sales-automation.order.record', 1, {
  request: z.object({ order: orderInputSchema }),
  response: orderSchema,
});
export const getOrder = defineQuery('sales-automation.order.get', 1, { request: z.object({ id: salesId }), response: orderSchema });
/** Newest purchase first (purchasedAt, then id). */
export const listOrders = defineQuery('sales-automation.order.list', 1, {
  request: pageRequestSchema.extend({ filter: orderListFilterSchema.default({}) }),
  response: pageOf(orderSchema),
});
export const changeOrderStatus = defineCommand('sales-automation.order.change-status', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), status: z.enum(ORDER_STATUSES) }),
  response: orderSchema,
});

export const orderRecorded = defineEvent('sales-automation.order.recorded', 1, z.object({ order: orderSchema }));
export const orderStatusChanged = defineEvent(
  'sales-automation.order.status-changed',
  1,
  z.object({ order: orderSchema, previousStatus: z.enum(ORDER_STATUSES) }),
);
/** An order changed otherwise than by its status (a merge of its contact moves it to the survivor): `changed` names the fields. */
export const orderUpdated = defineEvent('sales-automation.order.updated', 1, z.object({ order: orderSchema, changed: z.array(z.string()) }));

// ---------------------------------------------------------------------------------------------
// Leads and web-to-lead forms

export const LEAD_SOURCES = ['web_form', 'import', 'campaign', 'manual'] as const;
export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converted'] as const;
/** The statuses create and update may set: disqualified and converted have their own commands. */
export const LEAD_OPEN_STATUSES = ['new', 'working', 'qualified'] as const;

const leadFieldsSchema = z.object({
  firstName: z.string().trim().min(1).max(100).nullable().optional(),
  lastName: z.string().trim().min(1).max(100).nullable().optional(),
  companyName: z.string().trim().min(1).max(200).nullable().optional(),
  email: z.email().max(320).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{4,32}$/, 'must be a phone number')
    .nullable()
    .optional(),
  campaignId: salesId.nullable().optional(),
  status: z.enum(LEAD_OPEN_STATUSES).optional(),
  ownerId: salesId.nullable().optional(),
  score: z.number().int('must be a whole number').min(0).max(100).optional(),
  message: z.string().trim().max(5_000).nullable().optional(),
});
export const leadInputSchema = leadFieldsSchema.extend({ source: z.enum(LEAD_SOURCES).default('manual') });
export type LeadInput = z.input<typeof leadInputSchema>;
export const leadPatchSchema = leadFieldsSchema;

export const leadSchema = z.object({
  id: salesId,
  firstName: personal(z.string().nullable()),
  lastName: personal(z.string().nullable()),
  companyName: personal(z.string().nullable()),
  email: personal(z.string().nullable()),
  phone: personal(z.string().nullable()),
  message: personal(z.string().nullable()),
  source: z.enum(LEAD_SOURCES),
  campaignId: salesId.nullable(),
  formId: salesId.nullable(),
  status: z.enum(LEAD_STATUSES),
  disqualifiedReason: z.string().nullable(),
  ownerId: salesId.nullable(),
  score: z.number().int(),
  /** What conversion made or reused (set step by step: a retried conversion goes on from there). */
  convertedContactId: salesId.nullable(),
  convertedCompanyId: salesId.nullable(),
  convertedDealId: salesId.nullable(),
  convertedAt: salesTimestamp.nullable(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Lead = z.infer<typeof leadSchema>;

export const leadListFilterSchema = z.object({
  status: z.enum(LEAD_STATUSES).optional(),
  ownerId: salesId.optional(),
  source: z.enum(LEAD_SOURCES).optional(),
  /** Leads whose name, company name or email contains the text (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
});

export const createLead = defineCommand('sales-automation.lead.create', 1, { request: z.object({ lead: leadInputSchema }), response: leadSchema });
export const getLead = defineQuery('sales-automation.lead.get', 1, { request: z.object({ id: salesId }), response: leadSchema });
/** Newest first. */
export const listLeads = defineQuery('sales-automation.lead.list', 1, {
  request: pageRequestSchema.extend({ filter: leadListFilterSchema.default({}) }),
  response: pageOf(leadSchema),
});
/** PRECONDITION_FAILED when `expectedVersion` (If-Match) is not current; CONFLICT once the lead is converted. */
export const updateLead = defineCommand('sales-automation.lead.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: leadPatchSchema }),
  response: leadSchema,
});
export const deleteLead = defineCommand('sales-automation.lead.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});
export const disqualifyLead = defineCommand('sales-automation.lead.disqualify', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), reason: z.string().trim().min(1).max(500) }),
  response: leadSchema,
});

export const leadConversionSchema = z.object({
  /** A deal for the contact (default title: the lead's company or name; default pipeline and stage). */
  createDeal: z
    .object({
      title: z.string().trim().min(1).max(200).optional(),
      amountMinor: moneyMinorSchema.optional(),
      currency: currencySchema.optional(),
      pipelineId: salesId.optional(),
      stageId: salesId.optional(),
    })
    .optional(),
  /** A company from the lead's company name (required then). */
  createCompany: z.boolean().default(false),
});
/**
 * The lead becomes a contact (an existing one when contacts' duplicate check finds it), optionally
 * a company and a deal. Each step is recorded on the lead and is applied once (request ids and
 * deterministic ids): a conversion retried after a crash half-way goes on where it stopped.
 */
export const convertLead = defineCommand('sales-automation.lead.convert', 1, {
  request: leadConversionSchema.extend({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ lead: leadSchema, contactId: salesId, companyId: salesId.nullable(), dealId: salesId.nullable() }),
});

export const leadCreated = defineEvent('sales-automation.lead.created', 1, z.object({ lead: leadSchema }));
export const leadConverted = defineEvent(
  'sales-automation.lead.converted',
  1,
  z.object({ lead: leadSchema, contactId: salesId, companyId: salesId.nullable(), dealId: salesId.nullable() }),
);
export const leadDisqualified = defineEvent('sales-automation.lead.disqualified', 1, z.object({ lead: leadSchema }));
/** `changed`: the fields the update changed (API names); a patch that changes nothing publishes nothing. */
export const leadUpdated = defineEvent('sales-automation.lead.updated', 1, z.object({ lead: leadSchema, changed: z.array(z.string()) }));
/** Soft delete: the lead is never read back (no personal data in the event). */
export const leadDeleted = defineEvent('sales-automation.lead.deleted', 1, z.object({ leadId: salesId, deletedAt: salesTimestamp }));

/** A browser origin: scheme, host and optional port, nothing else (`https://www.example.com`). */
const originSchema = z
  .string()
  .max(255)
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'must be an origin such as https://www.example.com');

export const leadFormInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** Origins whose pages may post the form from a browser (CORS); none: no browser page may. */
  allowedOrigins: z.array(originSchema).max(50).default([]),
  campaignId: salesId.nullable().optional(),
  ownerId: salesId.nullable().optional(),
  active: z.boolean().default(true),
});
export const leadFormPatchSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  allowedOrigins: z.array(originSchema).max(50).optional(),
  campaignId: salesId.nullable().optional(),
  ownerId: salesId.nullable().optional(),
  active: z.boolean().optional(),
});
export const leadFormSchema = z.object({
  id: salesId,
  /** The public key in the submission URL: random and unguessable, made by the service. */
  formKey: z.string(),
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  campaignId: salesId.nullable(),
  ownerId: salesId.nullable(),
  active: z.boolean(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type LeadForm = z.infer<typeof leadFormSchema>;

export const createLeadForm = defineCommand('sales-automation.form.create', 1, { request: z.object({ form: leadFormInputSchema }), response: leadFormSchema });
export const getLeadForm = defineQuery('sales-automation.form.get', 1, { request: z.object({ id: salesId }), response: leadFormSchema });
export const listLeadForms = defineQuery('sales-automation.form.list', 1, { request: pageRequestSchema, response: pageOf(leadFormSchema) });
export const updateLeadForm = defineCommand('sales-automation.form.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: leadFormPatchSchema }),
  response: leadFormSchema,
});
export const deleteLeadForm = defineCommand('sales-automation.form.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});

export const leadFormCreated = defineEvent('sales-automation.form.created', 1, z.object({ form: leadFormSchema }));
/** `changed`: the fields whose value changed (API names). */
export const leadFormUpdated = defineEvent('sales-automation.form.updated', 1, z.object({ form: leadFormSchema, changed: z.array(z.string()) }));
export const leadFormDeleted = defineEvent('sales-automation.form.deleted', 1, z.object({ formId: salesId, deletedAt: salesTimestamp }));

/** What a web page posts. `website` is a honeypot: hidden from people, filled by bots. */
export const formSubmissionSchema = z.object({
  firstName: z.string().trim().min(1).max(100).optional(),
  lastName: z.string().trim().min(1).max(100).optional(),
  companyName: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{4,32}$/, 'must be a phone number')
    .optional(),
  message: z.string().trim().max(5_000).optional(),
  website: z.string().max(500).optional(),
});
/**
 * A public web-form submission (no caller of a tenant: the form key says whose). NOT_FOUND for an
 * unknown or inactive key. A filled honeypot is accepted and dropped (`leadId: null`). Answers the
 * form's allowed origins: the gateway sets CORS headers from them.
 */
export const submitLeadForm = defineCommand('sales-automation.form.submit', 1, {
  /** `origin`: the posting page's Origin header, if any: FORBIDDEN unless the form allows it (a page elsewhere cannot post it). */
  request: z.object({ formKey: z.string().min(1).max(100), origin: z.string().max(255).nullable().optional(), submission: formSubmissionSchema }),
  response: z.object({ leadId: salesId.nullable(), allowedOrigins: z.array(z.string()) }),
});
/** The allowed origins of an active form (the gateway's CORS preflight); NOT_FOUND like submit. */
export const leadFormOrigins = defineQuery('sales-automation.form.origins', 1, {
  request: z.object({ formKey: z.string().min(1).max(100) }),
  response: z.object({ allowedOrigins: z.array(z.string()) }),
});

// ---------------------------------------------------------------------------------------------
// Pipelines

/** A stage as a pipeline is written: `id` names an existing stage (rename, reorder), none adds one; the array's order is the stages' order. */
export const pipelineStageInputSchema = z.object({
  id: salesId.optional(),
  name: z.string().trim().min(1).max(100),
  winProbability: z.number().int('must be a whole percentage').min(0).max(100),
});
export const pipelineInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  stages: z
    .array(pipelineStageInputSchema)
    .min(1, 'a pipeline needs at least one stage')
    .max(50)
    .refine((stages) => new Set(stages.filter((s) => s.id).map((s) => s.id)).size === stages.filter((s) => s.id).length, 'a stage id appears twice'),
});
export type PipelineInput = z.infer<typeof pipelineInputSchema>;
export const pipelineStageSchema = z.object({ id: salesId, name: z.string(), position: z.number().int(), winProbability: z.number().int() });
export const pipelineSchema = z.object({
  id: salesId,
  name: z.string(),
  /** The tenant's first pipeline: where a deal goes when it names none. */
  isDefault: z.boolean(),
  stages: z.array(pipelineStageSchema),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Pipeline = z.infer<typeof pipelineSchema>;

export const createPipeline = defineCommand('sales-automation.pipeline.create', 1, {
  request: z.object({ pipeline: pipelineInputSchema }),
  response: pipelineSchema,
});
export const getPipeline = defineQuery('sales-automation.pipeline.get', 1, { request: z.object({ id: salesId }), response: pipelineSchema });
export const listPipelines = defineQuery('sales-automation.pipeline.list', 1, { request: pageRequestSchema, response: pageOf(pipelineSchema) });
/**
 * Rename, and the stages as they are to be (listed stages are kept, renamed and reordered; new ones
 * added; missing ones removed). CONFLICT naming the stage when a removed stage still holds deals.
 */
export const updatePipeline = defineCommand('sales-automation.pipeline.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: pipelineInputSchema.partial() }),
  response: pipelineSchema,
});
/** CONFLICT while the pipeline still holds open deals. */
export const deletePipeline = defineCommand('sales-automation.pipeline.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId, deleted: z.literal(true) }),
});

export const pipelineCreated = defineEvent('sales-automation.pipeline.created', 1, z.object({ pipeline: pipelineSchema }));
/** `changed`: `name`, `stages`, `isDefault` (the oldest pipeline becomes the default when the default is deleted). */
export const pipelineUpdated = defineEvent('sales-automation.pipeline.updated', 1, z.object({ pipeline: pipelineSchema, changed: z.array(z.string()) }));
export const pipelineDeleted = defineEvent('sales-automation.pipeline.deleted', 1, z.object({ pipelineId: salesId, deletedAt: salesTimestamp }));

// ---------------------------------------------------------------------------------------------
// Deals

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
const calendarDate = z.iso.date('must be a date as YYYY-MM-DD');

/** A product line of a deal: its total is computed (quantity × unit price − discount). */
export const dealLineInputSchema = z.object({
  productId: salesId.optional(),
  sku: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().min(1).max(200),
  quantity: quantitySchema,
  unitPriceMinor: moneyMinorSchema,
  discountMinor: moneyMinorSchema.default(0),
});
export const dealLineSchema = z.object({
  productId: salesId.nullable(),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  unitPriceMinor: z.number().int(),
  discountMinor: z.number().int(),
  totalMinor: z.number().int(),
});
export type DealLine = z.infer<typeof dealLineSchema>;

/** The fields a deal is written with (no defaults: a patch leaves out what it does not change). */
const dealFieldsSchema = z.object({
  title: z.string().trim().min(1).max(200),
  contactId: salesId.nullable().optional(),
  companyId: salesId.nullable().optional(),
  amountMinor: moneyMinorSchema.optional(),
  currency: currencySchema,
  lines: z.array(dealLineInputSchema).max(100).optional(),
  expectedCloseDate: calendarDate.nullable().optional(),
  ownerId: salesId.nullable().optional(),
});
export const dealInputSchema = dealFieldsSchema.extend({
  amountMinor: moneyMinorSchema.default(0),
  /** Default: the tenant's default pipeline; stage default: the pipeline's first stage. */
  pipelineId: salesId.optional(),
  stageId: salesId.optional(),
  /** The lead this deal was converted from (one deal per lead). */
  leadId: salesId.optional(),
});
export type DealInput = z.input<typeof dealInputSchema>;
/** What update may change (pipeline and stage change by `move`; status by `win` and `lose`). */
export const dealPatchSchema = dealFieldsSchema.partial();
export type DealPatch = z.infer<typeof dealPatchSchema>;

export const dealSchema = z.object({
  id: salesId,
  title: personal(z.string()),
  contactId: salesId.nullable(),
  companyId: salesId.nullable(),
  /** The customer's name from the local copies of contacts and companies (what search matches besides the title). */
  customerName: personal(z.string().nullable()),
  amountMinor: z.number().int(),
  currency: z.string(),
  expectedCloseDate: z.string().nullable(),
  ownerId: salesId.nullable(),
  pipelineId: salesId,
  stageId: salesId,
  /** Drag order within the stage (a fractional index key; sorts as bytes). */
  position: z.string(),
  status: z.enum(DEAL_STATUSES),
  lostReason: z.string().nullable(),
  closedAt: salesTimestamp.nullable(),
  stageEnteredAt: salesTimestamp,
  leadId: salesId.nullable(),
  lines: z.array(dealLineSchema),
  /** The ERP's sales order for the won deal (its acknowledgement), null until it acknowledges. */
  erpOrder: z.object({ system: z.string(), orderNumber: z.string(), acknowledgedAt: salesTimestamp }).nullable().optional(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Deal = z.infer<typeof dealSchema>;

export const DEAL_SORTS = ['position', 'expectedCloseDate', '-expectedCloseDate', 'amount', '-amount', '-updatedAt'] as const;
export const dealListFilterSchema = z.object({
  pipelineId: salesId.optional(),
  stageId: salesId.optional(),
  ownerId: salesId.optional(),
  contactId: salesId.optional(),
  companyId: salesId.optional(),
  status: z.enum(DEAL_STATUSES).optional(),
  /** Search: deals whose title or customer name contains the text (case-insensitive). */
  q: z.string().trim().min(1).max(200).optional(),
});

export const createDeal = defineCommand('sales-automation.deal.create', 1, { request: z.object({ deal: dealInputSchema }), response: dealSchema });
export const getDeal = defineQuery('sales-automation.deal.get', 1, { request: z.object({ id: salesId }), response: dealSchema });
/** `sort: 'position'` is the board: one stage's deals (filter pipelineId and stageId) in drag order. */
export const listDeals = defineQuery('sales-automation.deal.list', 1, {
  request: pageRequestSchema.extend({ filter: dealListFilterSchema.default({}), sort: z.enum(DEAL_SORTS).default('-updatedAt') }),
  response: pageOf(dealSchema),
});
export const updateDeal = defineCommand('sales-automation.deal.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: dealPatchSchema }),
  response: dealSchema,
});
export const deleteDeal = defineCommand('sales-automation.deal.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId, deleted: z.literal(true) }),
});
/** Into a stage (of the deal's pipeline) and between two of its deals: before `beforeId`, after `afterId`, or last. */
export const moveDeal = defineCommand('sales-automation.deal.move', 1, {
  request: z.object({
    id: salesId,
    expectedVersion: salesVersion.optional(),
    stageId: salesId,
    beforeId: salesId.optional(),
    afterId: salesId.optional(),
  }),
  response: dealSchema,
});
export const winDeal = defineCommand('sales-automation.deal.win', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: dealSchema,
});
export const loseDeal = defineCommand('sales-automation.deal.lose', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), reason: z.string().trim().min(1).max(500) }),
  response: dealSchema,
});
export const dealStageVisitSchema = z.object({
  stageId: salesId,
  pipelineId: salesId,
  enteredAt: salesTimestamp,
  leftAt: salesTimestamp.nullable(),
  /** Time spent in the stage (until now while the deal is still there). */
  secondsInStage: z.number().int(),
});
export const dealHistory = defineQuery('sales-automation.deal.history', 1, {
  request: z.object({ id: salesId }),
  response: z.object({ data: z.array(dealStageVisitSchema) }),
});

export const dealCreated = defineEvent('sales-automation.deal.created', 1, z.object({ deal: dealSchema }));
export const dealUpdated = defineEvent('sales-automation.deal.updated', 1, z.object({ deal: dealSchema, changed: z.array(z.string()) }));
export const dealMoved = defineEvent('sales-automation.deal.moved', 1, z.object({ deal: dealSchema, fromStageId: salesId, toStageId: salesId }));
export const dealWon = defineEvent('sales-automation.deal.won', 1, z.object({ deal: dealSchema }));
export const dealLost = defineEvent('sales-automation.deal.lost', 1, z.object({ deal: dealSchema }));
export const dealDeleted = defineEvent('sales-automation.deal.deleted', 1, z.object({ dealId: salesId, deletedAt: salesTimestamp }));

// ---------------------------------------------------------------------------------------------
// Tasks

export const TASK_RELATED_TYPES = ['contact', 'company', 'deal', 'lead'] as const;

/** The record a task is about: both fields or neither. */
const bothOrNeither = (task: { relatedType?: unknown; relatedId?: unknown }) => (task.relatedType == null) === (task.relatedId == null);
/** A reminder after the due time would fire for a task already late. */
const reminderNotAfterDue = (task: { dueAt?: string | null; reminderAt?: string | null }) =>
  !task.dueAt || !task.reminderAt || Date.parse(task.reminderAt) <= Date.parse(task.dueAt);

const taskFields = z.object({
  title: z.string().trim().min(1).max(500),
  notes: z.string().max(10_000).nullable(),
  dueAt: salesTimestamp.nullable(),
  /** When to remind the assignee (`sales-automation.task.reminder-due.v1`); not after `dueAt`. */
  reminderAt: salesTimestamp.nullable(),
  /** Defaults to the caller on create. */
  assigneeId: salesId.nullable(),
  relatedType: z.enum(TASK_RELATED_TYPES).nullable(),
  relatedId: salesId.nullable(),
});
export const taskInputSchema = taskFields
  .partial()
  .required({ title: true })
  .refine(bothOrNeither, { message: 'relatedType and relatedId go together', path: ['relatedId'] })
  .refine(reminderNotAfterDue, { message: 'must not be after dueAt', path: ['reminderAt'] });
/** Patch semantics: absent fields stay, null clears; the result is checked as a whole (reminderAt ≤ dueAt, related pair). */
export const taskPatchSchema = taskFields.partial();

export const taskSchema = z.object({
  id: salesId,
  // What a task says can be about a person.
  title: personal(z.string()),
  notes: personal(z.string().nullable()),
  dueAt: salesTimestamp.nullable(),
  reminderAt: salesTimestamp.nullable(),
  assigneeId: salesId.nullable(),
  relatedType: z.enum(TASK_RELATED_TYPES).nullable(),
  relatedId: salesId.nullable(),
  done: z.boolean(),
  completedAt: salesTimestamp.nullable(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Task = z.infer<typeof taskSchema>;

/**
 * `assignee: 'me'` is the caller. Open tasks of an assignee come overdue first (oldest due first),
 * then upcoming by due time, then undated; otherwise the same order (by due time, undated last).
 */
export const taskListFilterSchema = z.object({
  assignee: z.union([z.literal('me'), salesId]).optional(),
  done: z.boolean().optional(),
  relatedType: z.enum(TASK_RELATED_TYPES).optional(),
  relatedId: salesId.optional(),
});

export const createTask = defineCommand('sales-automation.task.create', 1, {
  request: z.object({ task: taskInputSchema }),
  response: taskSchema,
});
export const getTask = defineQuery('sales-automation.task.get', 1, {
  request: z.object({ id: salesId }),
  response: taskSchema,
});
export const listTasks = defineQuery('sales-automation.task.list', 1, {
  request: pageRequestSchema.extend({ filter: taskListFilterSchema.default({}) }),
  response: pageOf(taskSchema),
});
/** PRECONDITION_FAILED when `expectedVersion` (If-Match) is stale. A new reminderAt is reminded of again. */
export const updateTask = defineCommand('sales-automation.task.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: taskPatchSchema }),
  response: taskSchema,
});
export const deleteTask = defineCommand('sales-automation.task.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});
/** Marks the task done (completing a done task answers it as it is, no second event). */
export const completeTask = defineCommand('sales-automation.task.complete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: taskSchema,
});

export const taskCreated = defineEvent('sales-automation.task.created', 1, z.object({ task: taskSchema }));
export const taskCompleted = defineEvent('sales-automation.task.completed', 1, z.object({ task: taskSchema }));
/** `changed`: the fields the update changed (API names); a patch that changes nothing publishes nothing. */
export const taskUpdated = defineEvent('sales-automation.task.updated', 1, z.object({ task: taskSchema, changed: z.array(z.string()) }));
/** Soft delete: the task answers 404 from then on (no personal data in the event). */
export const taskDeleted = defineEvent('sales-automation.task.deleted', 1, z.object({ taskId: salesId, deletedAt: salesTimestamp }));
/** Published once per reminder time when it has passed (an open task; a changed reminderAt is reminded of again). */
export const taskReminderDue = defineEvent('sales-automation.task.reminder-due', 1, z.object({ task: taskSchema }));

// ---------------------------------------------------------------------------------------------
// Records keyed by an outside system's ids (ERP loads through the integration gateway; shapes in
// ./external-records). Each item is validated as its single create or update would be and fails
// alone; `unchanged` when nothing differs; created and updated records publish their usual events.

/**
 * Upserts catalogue products by (system, external id), one statement per batch. `record`:
 * productInput's fields (a new product needs what create needs; a known one takes the present
 * fields). A SKU another product holds fails the item (CONFLICT naming `record.sku`); the same
 * external id twice in a batch fails the later item. A deleted product upserted again comes back
 * (`created`). Publishes `product.created.v1` / `product.updated.v1` per record.
 */
export const upsertProductsByExternalId = defineCommand('sales-automation.product.upsert-external', 1, {
  request: externalUpsertRequestSchema,
  response: externalResultsSchema,
});
/** Deletes (soft, as DELETE does) products by external id: `deleted`, or `failed` NOT_FOUND; publishes `product.deleted.v1`. */
export const deleteProductsByExternalId = defineCommand('sales-automation.product.delete-external', 1, {
  request: externalDeleteRequestSchema,
  response: externalResultsSchema,
});
/** One live product by its (system, external id) (NOT_FOUND when unknown or deleted). */
export const getProductByExternalId = defineQuery('sales-automation.product.get-external', 1, {
  request: externalLookupRequestSchema,
  response: productSchema,
});

/**
 * What an ERP order's `record` may carry: orderInput's fields, the customer by the ERP's id
 * (`customerExternalId`, resolved by contacts' `contacts.contact.resolve-external.v1` in the same
 * system) or by `contactId`, and lines naming products by `productExternalId` (the same system) or
 * `productId`. Channel defaults to `erp`.
 */
export const orderExternalRecordSchema = orderInputSchema.extend({
  customerExternalId: z.string().trim().min(1).max(200).optional(),
  channel: z.enum(ORDER_CHANNELS).default('erp'),
  lines: z
    .array(orderLineInputSchema.extend({ productExternalId: z.string().trim().min(1).max(200).optional() }))
    .min(1, 'an order needs at least one line')
    .max(200),
});
/** What a known order takes from the ERP (any other field of `record` is kept as recorded). */
export const orderExternalUpdateSchema = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  invoice: orderInvoiceSchema.nullable().optional(),
  paymentStatus: z.enum(PAYMENT_STATUSES).nullable().optional(),
  paidAt: salesTimestamp.nullable().optional(),
});

/**
 * Upserts orders by (system, external id) = the order's (externalSystem, externalId). A new one is
 * recorded as `recordOrder` records it (`record`: orderExternalRecordSchema; publishes
 * `order.recorded.v1`, which the contact's timeline follows); an unknown customer fails the item
 * alone (NOT_FOUND naming `record.customerExternalId`), as does an unknown product
 * (`record.lines.<i>.productExternalId`). A known one takes the ERP's later facts
 * (orderExternalUpdateSchema): `status` by the allowed transitions (a refused one fails the item
 * with CONFLICT, problemCode INVALID_STATUS_TRANSITION), the invoice, `paymentStatus`, `paidAt`;
 * publishes `order.status-changed.v1` when the status changed and `order.updated.v1` (changed:
 * `invoice`, `paymentStatus`, `paidAt`) when the rest did. Each item succeeds or fails alone.
 */
export const upsertOrdersByExternalId = defineCommand('sales-automation.order.upsert-external', 1, {
  request: externalUpsertRequestSchema,
  response: externalResultsSchema,
});
/** One order by its (system, external id) (NOT_FOUND when unknown). */
export const getOrderByExternalId = defineQuery('sales-automation.order.get-external', 1, {
  request: externalLookupRequestSchema,
  response: orderSchema,
});

/**
 * The ERP's acknowledgement of a won deal's sales order: its order number in the ERP, stored on
 * the deal (`erpOrder`); publishes `sales-automation.deal.erp-order-recorded.v1` and
 * `sales-automation.deal.updated.v1` with `changed: ['erpOrder']`. The deal must be won (else 409,
 * problemCode `DEAL_NOT_WON`); the same system and number again answer the deal as it is (no
 * event); another number answers 409 (problemCode `ERP_ORDER_EXISTS`, naming `orderNumber`).
 */
export const recordDealErpOrder = defineCommand('sales-automation.deal.record-erp-order', 1, {
  request: z.object({
    id: salesId,
    system: externalSystemSchema,
    orderNumber: z.string().trim().min(1).max(200),
  }),
  response: dealSchema,
});
/** A won deal's sales order exists in the ERP (its number): the process fact, once per deal. */
export const dealErpOrderRecorded = defineEvent(
  'sales-automation.deal.erp-order-recorded',
  1,
  z.object({ dealId: salesId, system: z.string(), orderNumber: z.string(), acknowledgedAt: salesTimestamp, deal: dealSchema }),
);

// =============================================================================================
// Issue 14, workflow rules (apps/sales-automation/src/workflow-rules): a rule is a trigger, a
// JSON Logic condition and a list of actions, versioned (runs keep the version they ran); runs are
// recorded once per rule and triggering event, with each action's step.

/** The records a relative-date trigger and an updateField action may name (this service's own; contacts: NOT_SUPPORTED at run time). */
export const RULE_RECORD_TYPES = ['deal', 'lead', 'task', 'order'] as const;

/**
 * What starts a run: any event contract's versioned name (checked against libs/contracts: an
 * unknown one is VALIDATION_FAILED naming `trigger.type`); a cron schedule in a time zone (an
 * invalid one: `trigger.cron`, "invalid cron"); or a date field of a record, `offsetDays` from it
 * (-3: three days before), checked every minute.
 */
export const workflowRuleTriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), type: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('schedule'), cron: z.string().min(1).max(200), timeZone: z.string().min(1).max(100).default('UTC') }),
  z.object({
    kind: z.literal('relativeDate'),
    record: z.enum(RULE_RECORD_TYPES),
    field: z.string().min(1).max(100),
    offsetDays: z.number().int().min(-3650).max(3650),
  }),
]);
export type WorkflowRuleTrigger = z.infer<typeof workflowRuleTriggerSchema>;

const ruleWaitSchema = z
  .object({
    type: z.literal('wait'),
    days: z.number().int().min(0, 'must not be negative').max(3650).default(0),
    hours: z.number().int().min(0, 'must not be negative').max(87600).default(0),
    minutes: z.number().int().min(0, 'must not be negative').max(5_256_000).default(0),
  })
  .refine((wait) => wait.days + wait.hours + wait.minutes > 0, { message: 'a wait needs a positive duration', path: ['days'] });

/** The actions of a rule, run in order; each is a step of the run. */
export const workflowRuleActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sendEmail'), templateId: salesId }),
  z.object({ type: z.literal('startSequence'), sequenceId: salesId }),
  z.object({ type: z.literal('stopSequence'), sequenceId: salesId.optional() }),
  z.object({
    type: z.literal('createTask'),
    title: z.string().trim().min(1).max(500),
    dueInDays: z.number().int().min(0).max(3650).optional(),
    ownerId: salesId.optional(),
  }),
  z.object({ type: z.literal('assignOwner'), userIds: z.array(salesId).min(1).max(100) }),
  z.object({
    type: z.literal('updateField'),
    record: z.enum([...RULE_RECORD_TYPES, 'contact']),
    field: z.string().min(1).max(100),
    value: z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]),
  }),
  ruleWaitSchema,
  z.object({ type: z.literal('webhook'), url: z.url() }),
]);
export type WorkflowRuleAction = z.infer<typeof workflowRuleActionSchema>;

/**
 * A JSON Logic expression over `{ event, record }`, e.g. `{ ">": [{ "var": "record.totalMinor" }, 10000] }`
 * (operators checked at save: an unknown one is VALIDATION_FAILED naming `condition`); null: always.
 */
export const workflowRuleConditionSchema = z.record(z.string(), z.unknown()).nullable();

const workflowRuleFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  enabled: z.boolean(),
  trigger: workflowRuleTriggerSchema,
  condition: workflowRuleConditionSchema,
  actions: z.array(workflowRuleActionSchema).min(1).max(50),
});
/** A new rule: enabled unless said otherwise; no condition: it always runs. */
export const workflowRuleInputSchema = workflowRuleFieldsSchema.extend({
  enabled: z.boolean().default(true),
  condition: workflowRuleConditionSchema.default(null),
});
/** Absent fields stay; a changed trigger, condition or actions makes a new definition version. */
export const workflowRulePatchSchema = workflowRuleFieldsSchema.partial();

export const workflowRuleSchema = z.object({
  id: salesId,
  name: z.string(),
  enabled: z.boolean(),
  /** The definition's version new runs use (a change of trigger, condition or actions makes the next one). */
  currentVersion: z.number().int().positive(),
  trigger: workflowRuleTriggerSchema,
  condition: workflowRuleConditionSchema,
  actions: z.array(workflowRuleActionSchema),
  /** If-Match version of the rule (any change moves it). */
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type WorkflowRule = z.infer<typeof workflowRuleSchema>;

export const WORKFLOW_RULE_RUN_STATUSES = ['succeeded', 'failed', 'skipped', 'dry-run', 'waiting'] as const;
export const workflowRuleStepSchema = z.object({
  index: z.number().int().nonnegative(),
  type: z.string(),
  status: z.enum(['succeeded', 'failed', 'would-run']),
  /** What the step did or would do (ids it created, the enrolment, the wait's due time). */
  detail: z.record(z.string(), z.unknown()).optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});
export const workflowRuleRunSchema = z.object({
  id: salesId,
  ruleId: salesId,
  ruleVersion: z.number().int().positive(),
  triggerEventId: z.string(),
  triggerEventType: z.string(),
  status: z.enum(WORKFLOW_RULE_RUN_STATUSES),
  /** CONDITION_FIELD_MISSING, DEPTH_LIMIT, PORT_UNAVAILABLE, NOT_SUPPORTED, ... */
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  steps: z.array(workflowRuleStepSchema),
  startedAt: salesTimestamp,
  finishedAt: salesTimestamp.nullable(),
});
export type WorkflowRuleRun = z.infer<typeof workflowRuleRunSchema>;

export const createWorkflowRule = defineCommand('sales-automation.workflow-rule.create', 1, {
  request: z.object({ rule: workflowRuleInputSchema }),
  response: workflowRuleSchema,
});
export const getWorkflowRule = defineQuery('sales-automation.workflow-rule.get', 1, {
  request: z.object({ id: salesId }),
  response: workflowRuleSchema,
});
/** Oldest first. */
export const listWorkflowRules = defineQuery('sales-automation.workflow-rule.list', 1, {
  request: pageRequestSchema,
  response: pageOf(workflowRuleSchema),
});
/** PRECONDITION_FAILED when `expectedVersion` (If-Match) is stale; a changed trigger, condition or actions makes a new definition version. */
export const updateWorkflowRule = defineCommand('sales-automation.workflow-rule.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: workflowRulePatchSchema }),
  response: workflowRuleSchema,
});
export const deleteWorkflowRule = defineCommand('sales-automation.workflow-rule.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});
export const enableWorkflowRule = defineCommand('sales-automation.workflow-rule.enable', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: workflowRuleSchema,
});
export const disableWorkflowRule = defineCommand('sales-automation.workflow-rule.disable', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: workflowRuleSchema,
});
/** Newest first. */
export const listWorkflowRuleRuns = defineQuery('sales-automation.workflow-rule.list-runs', 1, {
  request: pageRequestSchema.extend({ id: salesId }),
  response: pageOf(workflowRuleRunSchema),
});
/**
 * Dry run against a sample event (`data` as the trigger's event would carry it): evaluates the
 * condition and lists the actions the rule would take; writes nothing.
 */
export const testWorkflowRule = defineCommand('sales-automation.workflow-rule.test', 1, {
  request: z.object({ id: salesId, event: z.object({ type: z.string().optional(), data: z.record(z.string(), z.unknown()) }) }),
  response: z.object({
    conditionMatched: z.boolean(),
    status: z.enum(WORKFLOW_RULE_RUN_STATUSES),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    steps: z.array(workflowRuleStepSchema),
  }),
});

export const workflowRuleCreated = defineEvent('sales-automation.workflow-rule.created', 1, z.object({ rule: workflowRuleSchema }));
/** `changed`: the fields that changed (enable and disable change `enabled`). */
export const workflowRuleUpdated = defineEvent(
  'sales-automation.workflow-rule.updated',
  1,
  z.object({ rule: workflowRuleSchema, changed: z.array(z.string()) }),
);
export const workflowRuleDeleted = defineEvent('sales-automation.workflow-rule.deleted', 1, z.object({ ruleId: salesId, deletedAt: salesTimestamp }));
/** A run failed (its error code and message): what an operator alert or another rule reacts to. */
export const workflowRuleRunFailed = defineEvent('sales-automation.workflow-rule.run-failed', 1, z.object({ run: workflowRuleRunSchema }));

// ---------------------------------------------------------------------------------------------
// Email (issue 14): templates, each contact's consent, sending over SMTP

export const EMAIL_PURPOSES = ['transactional', 'marketing'] as const;
export const EMAIL_CONSENT_STATUSES = ['subscribed', 'unsubscribed', 'bounced', 'never_asked'] as const;
export const EMAIL_CONSENT_SOURCES = ['api', 'import', 'form', 'unsubscribe-link', 'bounce'] as const;

const emailTemplateFields = z.object({
  name: z.string().trim().min(1).max(200),
  /** Transactional mail (receipts, thank-yous) goes to anyone with an address; marketing mail only to subscribed contacts. */
  purpose: z.enum(EMAIL_PURPOSES),
  /** Liquid templates: `{{ contact.firstName }}`, `{{ order.totalMinor }}`, `{{ unsubscribe_url }}`; checked at save (400 naming the field). */
  subject: z.string().trim().min(1).max(998),
  html: z.string().min(1).max(200_000),
  /** The plain-text part; derived from the HTML when null. */
  text: z.string().min(1).max(200_000).nullable(),
});
export const emailTemplateInputSchema = emailTemplateFields.partial({ text: true });
export const emailTemplatePatchSchema = emailTemplateFields.partial();
export const emailTemplateSchema = emailTemplateFields.extend({
  id: salesId,
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type EmailTemplate = z.infer<typeof emailTemplateSchema>;

export const createEmailTemplate = defineCommand('sales-automation.email-template.create', 1, {
  request: z.object({ template: emailTemplateInputSchema }),
  response: emailTemplateSchema,
});
export const getEmailTemplate = defineQuery('sales-automation.email-template.get', 1, {
  request: z.object({ id: salesId }),
  response: emailTemplateSchema,
});
export const listEmailTemplates = defineQuery('sales-automation.email-template.list', 1, {
  request: pageRequestSchema.extend({ purpose: z.enum(EMAIL_PURPOSES).optional() }),
  response: pageOf(emailTemplateSchema),
});
export const updateEmailTemplate = defineCommand('sales-automation.email-template.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: emailTemplatePatchSchema }),
  response: emailTemplateSchema,
});
export const deleteEmailTemplate = defineCommand('sales-automation.email-template.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});
export const renderedEmailSchema = z.object({ subject: personal(z.string()), html: personal(z.string()), text: personal(z.string()) });
/** The template rendered for one contact (and the deal or order it would be about), sending nothing. */
export const previewEmailTemplate = defineQuery('sales-automation.email-template.preview', 1, {
  request: z.object({ id: salesId, contactId: salesId, dealId: salesId.optional(), orderId: salesId.optional() }),
  response: renderedEmailSchema,
});

export const emailTemplateCreated = defineEvent('sales-automation.email-template.created', 1, z.object({ template: emailTemplateSchema }));
export const emailTemplateUpdated = defineEvent('sales-automation.email-template.updated', 1, z.object({ template: emailTemplateSchema }));
export const emailTemplateDeleted = defineEvent('sales-automation.email-template.deleted', 1, z.object({ templateId: salesId, deletedAt: salesTimestamp }));

export const emailConsentSchema = z.object({
  contactId: salesId,
  status: z.enum(EMAIL_CONSENT_STATUSES),
  source: z.enum(EMAIL_CONSENT_SOURCES).nullable(),
  /** Null while never asked. */
  changedAt: salesTimestamp.nullable(),
});
export type EmailConsent = z.infer<typeof emailConsentSchema>;
export const emailConsentWithHistorySchema = emailConsentSchema.extend({
  /** Newest first (at most 100). */
  history: z.array(z.object({ status: z.enum(EMAIL_CONSENT_STATUSES), source: z.enum(EMAIL_CONSENT_SOURCES), at: salesTimestamp })),
});

export const getEmailConsent = defineQuery('sales-automation.email-consent.get', 1, {
  request: z.object({ contactId: salesId }),
  response: emailConsentWithHistorySchema,
});
export const setEmailConsent = defineCommand('sales-automation.email-consent.set', 1, {
  request: z.object({ contactId: salesId, status: z.enum(EMAIL_CONSENT_STATUSES), source: z.enum(EMAIL_CONSENT_SOURCES).default('api') }),
  response: emailConsentWithHistorySchema,
});
/** RFC 8058 one-click unsubscribe: the signed token of a marketing message's List-Unsubscribe link is the only credential. */
export const unsubscribeByToken = defineCommand('sales-automation.email-consent.unsubscribe', 1, {
  request: z.object({ token: z.string().min(1).max(2_000) }),
  response: z.object({ status: z.literal('unsubscribed') }),
});
export const emailConsentChanged = defineEvent(
  'sales-automation.email-consent.changed',
  1,
  z.object({ consent: emailConsentSchema, previousStatus: z.enum(EMAIL_CONSENT_STATUSES) }),
);

export const EMAIL_SEND_SKIP_REASONS = ['not-subscribed', 'no-email', 'contact-gone'] as const;
export const emailSendOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sent'), sendId: salesId, messageId: z.string() }),
  z.object({ status: z.literal('already-sent'), sendId: salesId, messageId: z.string() }),
  z.object({ status: z.literal('skipped'), reason: z.enum(EMAIL_SEND_SKIP_REASONS) }),
]);
/** A user sends one template to one contact now (marketing only if the contact is subscribed). */
export const sendContactEmail = defineCommand('sales-automation.contact-email.send', 1, {
  request: z.object({ contactId: salesId, templateId: salesId, dealId: salesId.optional(), orderId: salesId.optional() }),
  response: emailSendOutcomeSchema,
});
/** One message accepted by the SMTP server (its Message-ID is stable across retries of the same send). */
export const emailSent = defineEvent(
  'sales-automation.email.sent',
  1,
  z.object({
    sendId: salesId,
    contactId: salesId,
    templateId: salesId,
    purpose: z.enum(EMAIL_PURPOSES),
    messageId: z.string(),
    source: z.object({ kind: z.enum(['sequence', 'campaign', 'rule', 'manual']), id: z.string() }).nullable(),
    sentAt: salesTimestamp,
  }),
);

/**
 * The tenant's sender of every message (From, Reply-To, the Message-ID's domain and the
 * templates' `sender`); without one, the system's (SALES_AUTOMATION_MAIL_FROM). The address's
 * domain must let the SMTP relay send for it (SPF/DKIM), or receivers will refuse the mail.
 */
export const emailSenderInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  address: z.email().max(320),
  replyTo: z.email().max(320).nullable().default(null),
});
export const emailSenderSchema = z.object({
  name: z.string(),
  address: z.string(),
  replyTo: z.string().nullable(),
  /** True while the tenant has none of its own: this is the system's. */
  systemDefault: z.boolean(),
  /** If-Match version (0: the system's, never set). */
  version: z.number().int().nonnegative(),
  updatedAt: salesTimestamp.nullable(),
});
export type EmailSender = z.infer<typeof emailSenderSchema>;
export const getEmailSender = defineQuery('sales-automation.email-sender.get', 1, { request: z.object({}), response: emailSenderSchema });
export const setEmailSender = defineCommand('sales-automation.email-sender.set', 1, {
  request: z.object({ sender: emailSenderInputSchema, expectedVersion: z.number().int().nonnegative().optional() }),
  response: emailSenderSchema,
});
/** Back to the system's sender. */
export const resetEmailSender = defineCommand('sales-automation.email-sender.reset', 1, {
  request: z.object({ expectedVersion: z.number().int().nonnegative().optional() }),
  response: emailSenderSchema,
});
export const emailSenderChanged = defineEvent('sales-automation.email-sender.changed', 1, z.object({ sender: emailSenderSchema }));

/** What a recipient did with a tracked marketing message: loaded its pixel, or followed a link in it. */
export const EMAIL_ENGAGEMENTS = ['opened', 'clicked'] as const;
/**
 * The open pixel and the click redirect of a marketing message: the signed token (which send,
 * which kind, for a click which URL) is the only credential. Answers where a click goes (null for
 * an open); a token not signed for that URL is VALIDATION_FAILED (no open redirect).
 */
export const recordEmailEngagement = defineCommand('sales-automation.email.engagement.record', 1, {
  request: z.object({ token: z.string().min(1).max(200), url: z.string().max(4_000).optional() }),
  response: z.object({ url: z.string().nullable() }),
});
/** A message's first open, or the first click of each of its links (the contacts service puts it on the contact's timeline). */
export const emailEngaged = defineEvent(
  'sales-automation.email.engaged',
  1,
  z.object({
    sendId: salesId,
    contactId: salesId,
    templateId: salesId,
    /** The template's name (the subject as sent may hold the contact's name). */
    templateName: z.string(),
    kind: z.enum(EMAIL_ENGAGEMENTS),
    url: z.string().nullable(),
    source: z.object({ kind: z.enum(['sequence', 'campaign', 'rule', 'manual']), id: z.string() }).nullable(),
    at: salesTimestamp,
  }),
);

// ---------------------------------------------------------------------------------------------
// Sequences (issue 14): ordered steps with waits of days or weeks; one enrolment per contact and
// sequence at a time; each enrolment keeps the definition version it started with.

export const SEQUENCE_WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** What ends an enrolment early (an erased contact always does). */
export const SEQUENCE_EXIT_CONDITIONS = ['unsubscribed', 'replied', 'purchased', 'dealWon'] as const;

const sequenceWaitStepSchema = z
  .object({
    type: z.literal('wait'),
    days: z.number().int().min(0, 'must not be negative').max(3650).default(0),
    hours: z.number().int().min(0, 'must not be negative').max(87600).default(0),
    minutes: z.number().int().min(0, 'must not be negative').max(5_256_000).default(0),
  })
  .refine((wait) => wait.days + wait.hours + wait.minutes > 0, { message: 'a wait needs a positive duration', path: ['days'] });

/** The steps of a sequence, run in order. */
export const sequenceStepSchema = z.discriminatedUnion('type', [
  sequenceWaitStepSchema,
  /**
   * Until the next of the weekdays at the hour, in the contact's time zone (its custom field
   * `time_zone`, an IANA name) or else the sequence's.
   */
  z.object({
    type: z.literal('waitUntil'),
    weekdays: z.array(z.enum(SEQUENCE_WEEKDAYS)).min(1).max(7),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59).default(0),
  }),
  z.object({ type: z.literal('sendEmail'), templateId: salesId }),
  z.object({
    type: z.literal('createTask'),
    title: z.string().trim().min(1).max(500),
    dueInDays: z.number().int().min(0).max(3650).optional(),
    ownerId: salesId.optional(),
  }),
  /**
   * A JSON Logic condition over `{ contact, enrolment }` (e.g. `{ "in": ["vip", { "var": "contact.tags" }] }`):
   * true goes to step `goTo` (a later step; null ends the enrolment), false to the next step.
   */
  z.object({ type: z.literal('branch'), condition: z.record(z.string(), z.unknown()), goTo: z.number().int().min(1).max(99).nullable() }),
]);
export type SequenceStep = z.infer<typeof sequenceStepSchema>;

const sequenceFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  /** A disabled sequence takes no new enrolments; running ones go on. */
  enabled: z.boolean(),
  /** The time zone of `waitUntil` steps for contacts without one. */
  timeZone: z.string().min(1).max(100),
  exitOn: z.array(z.enum(SEQUENCE_EXIT_CONDITIONS)).max(4),
  steps: z.array(sequenceStepSchema).min(1).max(100),
});
export const sequenceInputSchema = sequenceFieldsSchema.extend({
  enabled: z.boolean().default(true),
  timeZone: z.string().min(1).max(100).default('UTC'),
  exitOn: z.array(z.enum(SEQUENCE_EXIT_CONDITIONS)).max(4).default(['unsubscribed', 'replied', 'purchased', 'dealWon']),
});
/** Absent fields stay; changed steps or exit conditions make a new definition version (running enrolments keep theirs). */
export const sequencePatchSchema = sequenceFieldsSchema.partial();

export const sequenceSchema = z.object({
  id: salesId,
  name: z.string(),
  enabled: z.boolean(),
  timeZone: z.string(),
  exitOn: z.array(z.enum(SEQUENCE_EXIT_CONDITIONS)),
  steps: z.array(sequenceStepSchema),
  /** The definition version new enrolments get. */
  currentVersion: z.number().int().positive(),
  /** If-Match version of the sequence (any change moves it). */
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Sequence = z.infer<typeof sequenceSchema>;

export const ENROLMENT_STATUSES = ['active', 'paused', 'completed', 'exited'] as const;
export const ENROLMENT_SOURCES = ['manual', 'rule', 'campaign'] as const;
export const enrolmentStepSchema = z.object({
  index: z.number().int().nonnegative(),
  type: z.string(),
  status: z.enum(['succeeded', 'failed', 'skipped']),
  /** What the step did (the send and its Message-ID, the task, the wait's due time, the branch taken). */
  detail: z.record(z.string(), z.unknown()),
  errorCode: z.string().nullable(),
  at: salesTimestamp,
});
export const enrolmentSchema = z.object({
  id: salesId,
  sequenceId: salesId,
  sequenceVersion: z.number().int().positive(),
  contactId: salesId,
  status: z.enum(ENROLMENT_STATUSES),
  /** The index of the next step to run (the steps' length once completed). */
  nextStep: z.number().int().nonnegative(),
  /** When the next step runs (null unless active). */
  nextStepAt: salesTimestamp.nullable(),
  source: z.object({ kind: z.enum(ENROLMENT_SOURCES), id: z.string() }),
  /** Why it ended early: unsubscribed, replied, purchased, dealWon, stopped, erased, sequence-deleted, rule:<id>. */
  exitReason: z.string().nullable(),
  enrolledAt: salesTimestamp,
  finishedAt: salesTimestamp.nullable(),
  version: salesVersion,
});
export type Enrolment = z.infer<typeof enrolmentSchema>;
export const enrolmentWithHistorySchema = enrolmentSchema.extend({ history: z.array(enrolmentStepSchema) });

export const createSequence = defineCommand('sales-automation.sequence.create', 1, {
  request: z.object({ sequence: sequenceInputSchema }),
  response: sequenceSchema,
});
export const getSequence = defineQuery('sales-automation.sequence.get', 1, { request: z.object({ id: salesId }), response: sequenceSchema });
/** Oldest first. */
export const listSequences = defineQuery('sales-automation.sequence.list', 1, { request: pageRequestSchema, response: pageOf(sequenceSchema) });
export const updateSequence = defineCommand('sales-automation.sequence.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: sequencePatchSchema }),
  response: sequenceSchema,
});
/** Soft delete: its active and paused enrolments exit (`sequence-deleted`). */
export const deleteSequence = defineCommand('sales-automation.sequence.delete', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: z.object({ id: salesId }),
});
/** Manual enrolment; CONFLICT (problemCode ALREADY_ENROLLED) while the contact has an active or paused one in this sequence. */
export const enrolContact = defineCommand('sales-automation.enrolment.create', 1, {
  request: z.object({ sequenceId: salesId, contactId: salesId, dealId: salesId.optional(), orderId: salesId.optional() }),
  response: enrolmentSchema,
});
export const getEnrolment = defineQuery('sales-automation.enrolment.get', 1, { request: z.object({ id: salesId }), response: enrolmentWithHistorySchema });
/** Newest first. */
export const listEnrolments = defineQuery('sales-automation.enrolment.list', 1, {
  request: pageRequestSchema.extend({
    filter: z.object({ sequenceId: salesId.optional(), contactId: salesId.optional(), status: z.enum(ENROLMENT_STATUSES).optional() }).default({}),
  }),
  response: pageOf(enrolmentSchema),
});
/** Pause (active only), resume (paused only: a wait that passed meanwhile runs now) and stop (exit, reason `stopped`); CONFLICT from another status. */
export const pauseEnrolment = defineCommand('sales-automation.enrolment.pause', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: enrolmentSchema,
});
export const resumeEnrolment = defineCommand('sales-automation.enrolment.resume', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: enrolmentSchema,
});
export const stopEnrolment = defineCommand('sales-automation.enrolment.stop', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: enrolmentSchema,
});

export const sequenceCreated = defineEvent('sales-automation.sequence.created', 1, z.object({ sequence: sequenceSchema }));
/** `changed`: the fields that changed. */
export const sequenceUpdated = defineEvent('sales-automation.sequence.updated', 1, z.object({ sequence: sequenceSchema, changed: z.array(z.string()) }));
export const sequenceDeleted = defineEvent('sales-automation.sequence.deleted', 1, z.object({ sequenceId: salesId, deletedAt: salesTimestamp }));
export const enrolmentStarted = defineEvent('sales-automation.enrolment.started', 1, z.object({ enrolment: enrolmentSchema }));
/** Paused or resumed (`changed`: `status`). */
export const enrolmentUpdated = defineEvent('sales-automation.enrolment.updated', 1, z.object({ enrolment: enrolmentSchema, changed: z.array(z.string()) }));
/** Completed (every step ran) or exited (`exitReason`). */
export const enrolmentEnded = defineEvent('sales-automation.enrolment.ended', 1, z.object({ enrolment: enrolmentSchema }));

// ---------------------------------------------------------------------------------------------
// Campaigns (issue 14): a segment of contacts, a marketing template or a sequence, a schedule and
// a send rate. Launched at its time: the segment is resolved once into recipients (a snapshot),
// each due at its place in the rate.

/**
 * Which contacts a campaign reaches: all conditions hold (an empty segment is every contact).
 * `lastPurchase.withinDays`: bought in the last N days; `notWithinDays`: not in the last N days
 * (never bought included). Marketing mail still goes only to subscribed contacts: `consent`
 * narrows the segment further (e.g. only `subscribed`, to count the real audience).
 */
export const campaignSegmentSchema = z.object({
  tags: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
  customFields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be a custom field key (snake case)'), customFieldValueSchema).default({}),
  companyId: salesId.optional(),
  lastPurchase: z
    .object({ withinDays: z.number().int().min(1).max(36_500).optional(), notWithinDays: z.number().int().min(1).max(36_500).optional() })
    .refine((p) => p.withinDays !== undefined || p.notWithinDays !== undefined, { message: 'give withinDays or notWithinDays', path: ['withinDays'] })
    .optional(),
  consent: z.array(z.enum(EMAIL_CONSENT_STATUSES)).min(1).max(4).optional(),
});
export type CampaignSegment = z.infer<typeof campaignSegmentSchema>;

/** What each recipient gets: a marketing template, or an enrolment in a sequence. */
export const campaignContentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('template'), templateId: salesId }),
  z.object({ kind: z.literal('sequence'), sequenceId: salesId }),
]);

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled', 'failed'] as const;

const campaignFieldsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  segment: campaignSegmentSchema,
  content: campaignContentSchema,
  /** When it launches; null keeps it a draft. */
  scheduledAt: salesTimestamp.nullable(),
  /** How many recipients a minute at most (spreads the sends; protects the sender's reputation). */
  ratePerMinute: z.number().int().min(1).max(100_000),
});
export const campaignInputSchema = campaignFieldsSchema.extend({
  scheduledAt: salesTimestamp.nullable().default(null),
  ratePerMinute: z.number().int().min(1).max(100_000).default(600),
});
/** Only a draft or a scheduled campaign changes; absent fields stay. */
export const campaignPatchSchema = campaignFieldsSchema.partial();

export const campaignSchema = z.object({
  id: salesId,
  name: z.string(),
  segment: campaignSegmentSchema,
  content: campaignContentSchema,
  scheduledAt: salesTimestamp.nullable(),
  ratePerMinute: z.number().int(),
  status: z.enum(CAMPAIGN_STATUSES),
  /** Recipients resolved at launch, and what became of them so far. */
  counts: z.object({ recipients: z.number().int(), sent: z.number().int(), enrolled: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  /** Why a campaign failed at launch (e.g. SEGMENT_EMPTY). */
  errorCode: z.string().nullable(),
  startedAt: salesTimestamp.nullable(),
  finishedAt: salesTimestamp.nullable(),
  version: salesVersion,
  createdAt: salesTimestamp,
  updatedAt: salesTimestamp,
});
export type Campaign = z.infer<typeof campaignSchema>;

/** A segment matching no contact answers VALIDATION_FAILED naming `campaign.segment` (SEGMENT_EMPTY). */
export const createCampaign = defineCommand('sales-automation.campaign.create', 1, {
  request: z.object({ campaign: campaignInputSchema }),
  response: campaignSchema,
});
export const getCampaign = defineQuery('sales-automation.campaign.get', 1, { request: z.object({ id: salesId }), response: campaignSchema });
/** Oldest first (creation time), optionally of one status. */
export const listCampaigns = defineQuery('sales-automation.campaign.list', 1, {
  request: pageRequestSchema.extend({ status: z.enum(CAMPAIGN_STATUSES).optional() }),
  response: pageOf(campaignSchema),
});
/** CONFLICT (INVALID_STATUS_TRANSITION) once it is sending or ended. */
export const updateCampaign = defineCommand('sales-automation.campaign.update', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional(), patch: campaignPatchSchema }),
  response: campaignSchema,
});
/** A draft, scheduled or sending campaign stops: recipients not reached yet get nothing. */
export const cancelCampaign = defineCommand('sales-automation.campaign.cancel', 1, {
  request: z.object({ id: salesId, expectedVersion: salesVersion.optional() }),
  response: campaignSchema,
});
/** How many contacts a segment matches now, with a few of them (to check a segment before scheduling). */
export const previewCampaignSegment = defineQuery('sales-automation.campaign.preview-segment', 1, {
  request: z.object({ segment: campaignSegmentSchema }),
  response: z.object({ count: z.number().int(), sample: z.array(z.object({ contactId: salesId, email: personal(z.string().nullable()) })) }),
});

export const campaignCreated = defineEvent('sales-automation.campaign.created', 1, z.object({ campaign: campaignSchema }));
/** Changed, scheduled, launched, cancelled or finished (`changed`: the fields that changed). */
export const campaignUpdated = defineEvent('sales-automation.campaign.updated', 1, z.object({ campaign: campaignSchema, changed: z.array(z.string()) }));
