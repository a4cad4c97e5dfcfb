import { z } from 'zod';
import { CUSTOM_FIELD_TYPES, customFieldValuesSchema, pageOf, pageRequestSchema } from './contacts';
import { defineCommand, defineEvent, defineQuery } from './define';
import { diagnosticsEcho } from './diagnostics';
import { personal } from './personal-data';

/**
 * Messages of the support-tickets service. Every command and query it answers is defined here once
 * (defineCommand / defineQuery / defineEvent from './define'), named `support-tickets.<entity>.<action>`.
 */

/** The diagnostics echo every service answers (probes, benchmarks). */
export const supportTicketsEcho = diagnosticsEcho('support-tickets');

// ---------------------------------------------------------------------------------------------
// Tickets (issue 15): a subject, a requester (a contact), a channel, a status, a priority, a group
// and an assignee, tags, and a thread of public replies and internal notes.

const id = z.uuid();
const version = z.number().int().positive();
const timestamp = z.iso.datetime({ offset: true });

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_CHANNELS = ['email', 'web', 'phone', 'chat', 'portal', 'api'] as const;
export const TICKET_MESSAGE_KINDS = ['public', 'internal'] as const;

/** A file that came with a message (its bytes are fetched separately). */
export const ticketAttachmentSchema = z.object({
  id,
  filename: personal(z.string()),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** Shown inside the message (an inline image) rather than listed. */
  inline: z.boolean(),
});
export type TicketAttachment = z.infer<typeof ticketAttachmentSchema>;
/**
 * A ticket's attachment to download: a short-lived link to the store (`url`, S3) or, where the
 * store has none (the filesystem), the bytes themselves (`content`, base64; at most the inbound size limit).
 */
export const getTicketAttachment = defineQuery('support-tickets.attachment.get', 1, {
  request: z.object({ ticketId: id, id }),
  response: z.object({ attachment: ticketAttachmentSchema, url: z.url().nullable(), content: z.base64().nullable() }),
});

export const ticketMessageSchema = z.object({
  id,
  /** A public reply goes to the requester; an internal note stays among agents. */
  kind: z.enum(TICKET_MESSAGE_KINDS),
  authorType: z.enum(['agent', 'customer', 'system']),
  /** The agent's user id or the customer's contact id. */
  authorId: z.string().nullable(),
  body: personal(z.string()),
  attachments: z.array(ticketAttachmentSchema),
  createdAt: timestamp,
});
export type TicketMessage = z.infer<typeof ticketMessageSchema>;

export const ticketSchema = z.object({
  id,
  /** The tenant's ticket number (#1042), shown to customers. */
  number: z.number().int().positive(),
  subject: personal(z.string()),
  /** The contact who asked (null: not known yet). */
  requesterId: id.nullable(),
  /** The address and name the requester wrote from, when the ticket came by email. */
  requesterEmail: personal(z.string().nullable()),
  requesterName: personal(z.string().nullable()),
  channel: z.enum(TICKET_CHANNELS),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(TICKET_PRIORITIES),
  groupId: id.nullable(),
  assigneeId: id.nullable(),
  tags: z.array(z.string()),
  solvedAt: timestamp.nullable(),
  /** The earliest SLA target still running: when it is due (null: none running). */
  slaDueAt: timestamp.nullable(),
  /** The requester's rating after it was solved (CSAT), null until they rate. */
  satisfaction: z.object({ rating: z.enum(['good', 'bad']), comment: personal(z.string().nullable()), ratedAt: timestamp }).nullable(),
  /** The ticket this one was merged into (it is then closed; its thread is there). */
  mergedIntoId: id.nullable(),
  /** Values of the tenant's ticket fields (listTicketFields), by key. */
  customFields: personal(customFieldValuesSchema),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Ticket = z.infer<typeof ticketSchema>;
export const ticketWithThreadSchema = ticketSchema.extend({ messages: z.array(ticketMessageSchema) });
export type TicketWithThread = z.infer<typeof ticketWithThreadSchema>;

const tagsSchema = z.array(z.string().trim().min(1).max(64)).max(50);
export const ticketInputSchema = z.object({
  subject: z.string().trim().min(1).max(500),
  requesterId: id.nullable().default(null),
  channel: z.enum(TICKET_CHANNELS).default('api'),
  priority: z.enum(TICKET_PRIORITIES).default('normal'),
  groupId: id.nullable().default(null),
  assigneeId: id.nullable().default(null),
  tags: tagsSchema.default([]),
  /** Values of the tenant's ticket fields, checked against their definitions. */
  customFields: customFieldValuesSchema.default({}),
  /** The first message: what the requester wrote (or the agent took down from a call). */
  body: z.string().trim().min(1).max(100_000),
});
export type TicketInput = z.infer<typeof ticketInputSchema>;
/**
 * Absent fields stay. `solved` records when; moving on from solved or closed clears it.
 * `customFields` is merged into the ticket's (a null clears a key); moving to solved or closed needs
 * every field `requiredToSolve` to hold a value (VALIDATION_FAILED naming them), and a solved or
 * closed ticket keeps them.
 */
export const ticketPatchSchema = z
  .object({
    subject: z.string().trim().min(1).max(500),
    status: z.enum(TICKET_STATUSES),
    priority: z.enum(TICKET_PRIORITIES),
    groupId: id.nullable(),
    assigneeId: id.nullable(),
    tags: tagsSchema,
    customFields: customFieldValuesSchema,
  })
  .partial();

export const createTicket = defineCommand('support-tickets.ticket.create', 1, {
  request: z.object({ ticket: ticketInputSchema }),
  response: ticketWithThreadSchema,
});
export const getTicket = defineQuery('support-tickets.ticket.get', 1, { request: z.object({ id }), response: ticketWithThreadSchema });
export const TICKET_SORTS = ['-createdAt', 'slaDueAt'] as const;
/**
 * Filtered by status, assignee, group or requester; newest first, or by SLA due time (the agent
 * inbox: the most urgent first, tickets with no running target last).
 */
export const listTickets = defineQuery('support-tickets.ticket.list', 1, {
  request: pageRequestSchema.extend({
    filter: z.object({ status: z.enum(TICKET_STATUSES).optional(), assigneeId: id.optional(), groupId: id.optional(), requesterId: id.optional() }).default({}),
    sort: z.enum(TICKET_SORTS).default('-createdAt'),
  }),
  response: pageOf(ticketSchema),
});
/** A closed ticket no longer changes (CONFLICT, INVALID_STATUS_TRANSITION): a follow-up is a new ticket. */
export const updateTicket = defineCommand('support-tickets.ticket.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: ticketPatchSchema }),
  response: ticketSchema,
});
/**
 * An agent's public reply or internal note. A public reply to a new ticket opens it; a closed
 * ticket takes no more messages (CONFLICT).
 */
export const addTicketMessage = defineCommand('support-tickets.ticket.add-message', 1, {
  request: z.object({
    id,
    expectedVersion: version.optional(),
    message: z.object({ kind: z.enum(TICKET_MESSAGE_KINDS), body: z.string().trim().min(1).max(100_000) }),
  }),
  response: ticketWithThreadSchema,
});

/**
 * Merges `sourceId` into `id`: the source's messages and attachments join the target's thread (in
 * time order; replies to the source's emails, reply address or number thread into the target), a
 * note on each says so, and the source is closed with `mergedIntoId`. `expectedVersion` is the
 * target's (If-Match). A source already merged into this target: the target as it is (a retried
 * request). A closed or otherwise merged ticket, or a ticket merged into itself: CONFLICT. Another
 * tenant's ticket: NOT_FOUND.
 */
export const mergeTickets = defineCommand('support-tickets.ticket.merge', 1, {
  request: z.object({ id, expectedVersion: version.optional(), sourceId: id }),
  response: ticketWithThreadSchema,
});

// ---------------------------------------------------------------------------------------------
// Ticket fields: the tenant's own fields on tickets (order number, product, region...).

const fieldKey = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and underscores, starting with a letter');
const fieldOptions = z.array(z.string().trim().min(1).max(100)).max(200);
export const ticketFieldInputSchema = z
  .object({
    key: fieldKey,
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    /** The values a `select` field allows. */
    options: fieldOptions.default([]),
    /** Must hold a value before the ticket is solved or closed (not to open it: mail and forms cannot fill it). */
    requiredToSolve: z.boolean().default(false),
  })
  .refine((f) => f.type !== 'select' || f.options.length > 0, { message: 'a select field needs options', path: ['options'] });
export const ticketFieldPatchSchema = z.object({ label: z.string().trim().min(1).max(100), options: fieldOptions, requiredToSolve: z.boolean() }).partial();
export const ticketFieldSchema = z.object({
  id,
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()),
  requiredToSolve: z.boolean(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type TicketField = z.infer<typeof ticketFieldSchema>;
/** A key once per tenant (again: CONFLICT). */
export const defineTicketField = defineCommand('support-tickets.ticket-field.define', 1, { request: z.object({ field: ticketFieldInputSchema }), response: ticketFieldSchema });
export const listTicketFields = defineQuery('support-tickets.ticket-field.list', 1, { request: z.object({}), response: z.object({ data: z.array(ticketFieldSchema) }) });
/** The key and type stay (tickets hold values of them); a select's options may not drop a value tickets hold (CONFLICT). */
export const updateTicketField = defineCommand('support-tickets.ticket-field.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: ticketFieldPatchSchema }),
  response: ticketFieldSchema,
});
/** The field and its values on every ticket of the tenant go. */
export const deleteTicketField = defineCommand('support-tickets.ticket-field.delete', 1, { request: z.object({ id }), response: z.object({ deleted: z.boolean() }) });

export const ticketCreated = defineEvent('support-tickets.ticket.created', 1, z.object({ ticket: ticketSchema }));
/**
 * `sourceId` was merged into `ticket`; its messages are the target's now. The source's own state
 * (closed, `mergedIntoId`) comes as its `ticket.updated`: the source may be another requester's.
 */
export const ticketMerged = defineEvent('support-tickets.ticket.merged', 1, z.object({ ticket: ticketSchema, sourceId: id }));
/** `changed`: the fields that changed (status, assignee, ...). */
export const ticketUpdated = defineEvent('support-tickets.ticket.updated', 1, z.object({ ticket: ticketSchema, changed: z.array(z.string()) }));
/** A reply or note was added (without its body: other services learn that, not what). */
export const ticketMessageAdded = defineEvent(
  'support-tickets.ticket.message-added',
  1,
  z.object({ ticket: ticketSchema, message: ticketMessageSchema.omit({ body: true }) }),
);

// ---------------------------------------------------------------------------------------------
// Email in: the addresses that take mail into a tenant's tickets, and a raw message received.

/** An inbound address (support@acme.example): mail to it (or to support+<token>@...) becomes tickets of the tenant, in the group. */
export const mailboxSchema = z.object({ address: z.string(), groupId: id.nullable(), createdAt: timestamp });
export type Mailbox = z.infer<typeof mailboxSchema>;
/** An address belongs to one tenant: another tenant's is a CONFLICT. Defining it again changes its group. */
export const defineMailbox = defineCommand('support-tickets.mailbox.define', 1, {
  request: z.object({
    address: z
      .email()
      .max(254)
      .refine((a) => !a.split('@')[0].includes('+'), 'without a +tag: replies use support+<token>@...')
      .transform((a) => a.toLowerCase()),
    groupId: id.nullable().default(null),
  }),
  response: mailboxSchema,
});
export const listMailboxes = defineQuery('support-tickets.mailbox.list', 1, { request: z.object({}), response: z.object({ data: z.array(mailboxSchema) }) });
export const deleteMailbox = defineCommand('support-tickets.mailbox.delete', 1, {
  request: z.object({ address: z.string().transform((a) => a.toLowerCase()) }),
  response: z.object({ deleted: z.boolean() }),
});

/**
 * What became of an inbound email: a new ticket, a reply on one (threaded by In-Reply-To /
 * References, the reply-to token or the `[#number]` in the subject), a note (a bounce of a reply),
 * ignored (auto-replies, loops, bounces of nothing) or a duplicate (the same Message-ID again).
 */
export const INBOUND_EMAIL_OUTCOMES = ['created', 'replied', 'noted', 'ignored', 'duplicate'] as const;
export const inboundEmailResultSchema = z.object({
  outcome: z.enum(INBOUND_EMAIL_OUTCOMES),
  ticketId: id.nullable(),
  number: z.number().int().nullable(),
  /** Why it was ignored or noted: auto-reply, loop, bounce. */
  reason: z.string().nullable(),
});
export type InboundEmailResult = z.infer<typeof inboundEmailResultSchema>;
/**
 * A raw RFC 5322 message (what mail providers' inbound webhooks post), base64. Refused with
 * VALIDATION_FAILED naming `raw` when too large, with too many attachments, without a sender, or
 * to no mailbox of the caller's tenant. Applied once per Message-ID (a redelivery answers
 * `duplicate` with the same ticket), so it needs no command inbox.
 */
export const receiveEmail = defineCommand('support-tickets.email.receive', 1, {
  request: z.object({ raw: z.base64().min(1) }),
  response: inboundEmailResultSchema,
  appliedOnceBy: 'the Message-ID (unique per tenant)',
});

// ---------------------------------------------------------------------------------------------
// SLAs: business hours per tenant, a policy per priority, warnings and breaches.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:mm (00:00 to 24:00)');
const workingPeriodSchema = z
  .object({ start: hhmm, end: hhmm })
  .refine((p) => p.end > p.start, { message: 'end must be after start', path: ['end'] });
const weekday = z.enum(['1', '2', '3', '4', '5', '6', '7']);
export const businessHoursInputSchema = z.object({
  timeZone: z.string().min(1).max(64).refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone, e.g. Europe/Berlin'),
  /** Working periods by ISO weekday ("1" Monday ... "7" Sunday); a missing day is closed. */
  weekly: z.partialRecord(weekday, z.array(workingPeriodSchema).max(6)),
  /** Whose public holidays close the day (date-holidays country, optional state and region codes); null: none. */
  publicHolidays: z
    .object({ country: z.string().regex(/^[A-Z]{2}$/), state: z.string().max(10).optional(), region: z.string().max(10).optional() })
    .nullable()
    .default(null),
  closedDates: z.array(z.iso.date()).max(1_000).default([]),
});
export const businessHoursSchema = businessHoursInputSchema.extend({ version, updatedAt: timestamp });
export type BusinessHoursView = z.infer<typeof businessHoursSchema>;
/** A tenant without its own hours counts SLA time around the clock in UTC. */
export const getBusinessHours = defineQuery('support-tickets.business-hours.get', 1, { request: z.object({}), response: businessHoursSchema });
export const putBusinessHours = defineCommand('support-tickets.business-hours.put', 1, {
  request: z.object({ hours: businessHoursInputSchema, expectedVersion: version.optional() }),
  response: businessHoursSchema,
});

export const slaPolicyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    priority: z.enum(TICKET_PRIORITIES),
    /** Targets in business minutes; at least one. */
    firstResponseMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
    resolutionMinutes: z.number().int().min(1).max(525_600).nullable().default(null),
    warnShare: z.number().gt(0).lt(1).default(0.75),
    /** On a breach: raise the priority one step, move the ticket to a group, ask for a manager. */
    raisePriority: z.boolean().default(false),
    escalateToGroupId: id.nullable().default(null),
    notifyManager: z.boolean().default(false),
  })
  .refine((p) => p.firstResponseMinutes !== null || p.resolutionMinutes !== null, { message: 'at least one target', path: ['resolutionMinutes'] });
export const slaPolicySchema = z.object({
  id,
  name: z.string(),
  priority: z.enum(TICKET_PRIORITIES),
  firstResponseMinutes: z.number().int().nullable(),
  resolutionMinutes: z.number().int().nullable(),
  warnShare: z.number(),
  raisePriority: z.boolean(),
  escalateToGroupId: id.nullable(),
  notifyManager: z.boolean(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;
/** One policy per priority: a second for the same priority is a CONFLICT. It applies to tickets opened (or moved to its priority) after. */
export const createSlaPolicy = defineCommand('support-tickets.sla-policy.create', 1, { request: z.object({ policy: slaPolicyInputSchema }), response: slaPolicySchema });
export const listSlaPolicies = defineQuery('support-tickets.sla-policy.list', 1, { request: z.object({}), response: z.object({ data: z.array(slaPolicySchema) }) });
export const deleteSlaPolicy = defineCommand('support-tickets.sla-policy.delete', 1, { request: z.object({ id }), response: z.object({ deleted: z.boolean() }) });

export const SLA_METRICS = ['first_response', 'resolution'] as const;
const slaAlertSchema = z.object({
  ticket: ticketSchema,
  metric: z.enum(SLA_METRICS),
  policyId: id,
  targetMinutes: z.number().int(),
  dueAt: timestamp,
});
/** A target reached its warning share. */
export const slaWarning = defineEvent('support-tickets.sla.warning', 1, slaAlertSchema);
/** A target was missed; `escalation`: what was done about it. */
export const slaBreached = defineEvent(
  'support-tickets.sla.breached',
  1,
  slaAlertSchema.extend({
    escalation: z.object({ raisedPriorityTo: z.enum(TICKET_PRIORITIES).nullable(), movedToGroupId: id.nullable(), managerNotified: z.boolean() }),
  }),
);

// ---------------------------------------------------------------------------------------------
// Self-service portal: a customer signs in by a one-time link sent to their address, then sees and
// answers only the tickets they asked (requester address), and opens new ones.

const customerEmail = personal(
  z
    .email()
    .max(254)
    .transform((a) => a.toLowerCase()),
);
/** The signed-in portal customer, as the gateway took it from their verified portal token (never from the body). */
const portalCustomerSchema = z.object({ email: customerEmail });

/**
 * Asks for a sign-in link (public: an anonymous visitor of the tenant's portal). Sent only when the
 * address has tickets in the tenant, and the answer is the same either way: nobody learns whose
 * address is known. The link's token is stored hashed and works once, for 15 minutes.
 */
export const requestPortalLink = defineCommand('support-tickets.portal.request-link', 1, {
  request: z.object({ tenantId: z.string().min(1).max(100), email: customerEmail }),
  response: z.object({ accepted: z.literal(true) }),
});
/** Spends a sign-in link's token (once; UNAUTHENTICATED when unknown, used or expired): whom the portal session is for. */
export const redeemPortalLink = defineCommand('support-tickets.portal.redeem-link', 1, {
  request: z.object({ token: z.string().min(20).max(200) }),
  response: z.object({ tenantId: z.string(), email: z.string() }),
});

/** A ticket as its requester sees it: no group, assignee, tags or internal notes. */
export const portalTicketSchema = ticketSchema.pick({ id: true, number: true, subject: true, status: true, channel: true, createdAt: true, updatedAt: true, version: true });
export const portalTicketWithThreadSchema = portalTicketSchema.extend({
  messages: z.array(ticketMessageSchema.pick({ id: true, authorType: true, body: true, attachments: true, createdAt: true })),
});
export type PortalTicketWithThread = z.infer<typeof portalTicketWithThreadSchema>;
export const listPortalTickets = defineQuery('support-tickets.portal.list-tickets', 1, {
  request: pageRequestSchema.extend({ customer: portalCustomerSchema }),
  response: pageOf(portalTicketSchema),
});
/** NOT_FOUND for a ticket someone else asked, in the same tenant or not. */
export const getPortalTicket = defineQuery('support-tickets.portal.get-ticket', 1, {
  request: z.object({ customer: portalCustomerSchema, id }),
  response: portalTicketWithThreadSchema,
});
/** The customer's reply: reopens a pending or solved ticket; a closed one takes none (CONFLICT). */
export const replyToPortalTicket = defineCommand('support-tickets.portal.reply', 1, {
  request: z.object({ customer: portalCustomerSchema, id, body: z.string().trim().min(1).max(100_000) }),
  response: portalTicketWithThreadSchema,
});
export const createPortalTicket = defineCommand('support-tickets.portal.create-ticket', 1, {
  request: z.object({ customer: portalCustomerSchema, ticket: z.object({ subject: z.string().trim().min(1).max(500), body: z.string().trim().min(1).max(100_000) }) }),
  response: portalTicketWithThreadSchema,
});

// ---------------------------------------------------------------------------------------------
// Knowledge base: articles in categories, drafts and published, full-text search (Postgres) and
// suggestions while a customer writes a ticket.

export const KB_ARTICLE_STATUSES = ['draft', 'published'] as const;
export const kbCategorySchema = z.object({ id, name: z.string(), position: z.number().int(), createdAt: timestamp });
export const kbArticleSchema = z.object({
  id,
  categoryId: id.nullable(),
  title: z.string(),
  body: z.string(),
  status: z.enum(KB_ARTICLE_STATUSES),
  tags: z.array(z.string()),
  publishedAt: timestamp.nullable(),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type KbArticle = z.infer<typeof kbArticleSchema>;
/** A search hit: the article without its body, with a snippet (matches between « and ») and a rank. */
export const kbArticleHitSchema = kbArticleSchema.omit({ body: true }).extend({ snippet: z.string(), rank: z.number() });
const kbArticleFields = {
  title: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(200_000),
  categoryId: id.nullable(),
  status: z.enum(KB_ARTICLE_STATUSES),
  tags: tagsSchema,
};
export const kbArticleInputSchema = z.object({
  ...kbArticleFields,
  categoryId: kbArticleFields.categoryId.default(null),
  status: kbArticleFields.status.default('draft'),
  tags: kbArticleFields.tags.default([]),
});
/** Absent fields stay (no defaults here: a partial of the input schema would fill them in). */
export const kbArticlePatchSchema = z.object(kbArticleFields).partial();
export const createKbCategory = defineCommand('support-tickets.kb-category.create', 1, {
  request: z.object({ category: z.object({ name: z.string().trim().min(1).max(200), position: z.number().int().min(0).max(10_000).default(0) }) }),
  response: kbCategorySchema,
});
export const listKbCategories = defineQuery('support-tickets.kb-category.list', 1, { request: z.object({}), response: z.object({ data: z.array(kbCategorySchema) }) });
export const createKbArticle = defineCommand('support-tickets.kb-article.create', 1, { request: z.object({ article: kbArticleInputSchema }), response: kbArticleSchema });
export const updateKbArticle = defineCommand('support-tickets.kb-article.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: kbArticlePatchSchema }),
  response: kbArticleSchema,
});
export const getKbArticle = defineQuery('support-tickets.kb-article.get', 1, {
  request: z.object({ id, publishedOnly: z.boolean().default(false) }),
  response: kbArticleSchema,
});
export const deleteKbArticle = defineCommand('support-tickets.kb-article.delete', 1, { request: z.object({ id }), response: z.object({ deleted: z.boolean() }) });
/**
 * Full-text search (websearch syntax: words, "a phrase", -not, or), best match first; without `q`,
 * the newest. Agents see drafts too (`publishedOnly` false); the portal, published articles only.
 * `suggestFor`: a ticket's subject and text, matched on any of its words (suggestions while writing).
 */
export const searchKbArticles = defineQuery('support-tickets.kb-article.search', 1, {
  request: z.object({
    q: z.string().trim().max(500).optional(),
    suggestFor: z.string().trim().max(5_000).optional(),
    categoryId: id.optional(),
    status: z.enum(KB_ARTICLE_STATUSES).optional(),
    publishedOnly: z.boolean().default(false),
    limit: z.number().int().min(1).max(50).default(20),
  }),
  response: z.object({ data: z.array(kbArticleHitSchema) }),
});
export const kbArticlePublished = defineEvent('support-tickets.kb-article.published', 1, z.object({ article: kbArticleSchema.omit({ body: true }) }));
export const kbArticleChanged = defineEvent(
  'support-tickets.kb-article.changed',
  1,
  z.object({ article: kbArticleSchema.omit({ body: true }), deleted: z.boolean() }),
);

// ---------------------------------------------------------------------------------------------
// Live chat: a portal visitor and an agent over WebSocket (the gateway), kept here: the chat is a
// ticket of channel `chat`, its lines are stored as they are said, and the transcript lands on the
// ticket as a public message when the chat ends.

export const CHAT_STATUSES = ['waiting', 'active', 'ended'] as const;
/** Who says a line: the portal customer (their address) or an agent (their user id). */
const chatParticipantSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('customer'), email: customerEmail }),
  z.object({ type: z.literal('agent'), userId: z.string().min(1) }),
]);
export type ChatParticipant = z.infer<typeof chatParticipantSchema>;
export const chatLineSchema = z.object({ id, chatId: id, authorType: z.enum(['customer', 'agent']), authorId: z.string(), body: personal(z.string()), createdAt: timestamp });
export type ChatLine = z.infer<typeof chatLineSchema>;
export const chatSchema = z.object({
  id,
  ticketId: id,
  ticketNumber: z.number().int(),
  customerEmail: personal(z.string()),
  agentId: z.string().nullable(),
  status: z.enum(CHAT_STATUSES),
  startedAt: timestamp,
  endedAt: timestamp.nullable(),
});
export type Chat = z.infer<typeof chatSchema>;
/** A customer opens a chat: a new ticket (channel chat) and the chat waiting for an agent. */
export const startChat = defineCommand('support-tickets.chat.start', 1, {
  request: z.object({ customer: portalCustomerSchema, subject: z.string().trim().min(1).max(500) }),
  response: chatSchema,
});
/** The chat with its lines so far (NOT_FOUND for a customer not in it). */
export const getChat = defineQuery('support-tickets.chat.get', 1, {
  request: z.object({ id, participant: chatParticipantSchema }),
  response: chatSchema.extend({ lines: z.array(chatLineSchema) }),
});
/** A line said in the chat; an agent's first line takes the chat (active). An ended chat takes none (CONFLICT). */
export const postChatLine = defineCommand('support-tickets.chat.post-line', 1, {
  request: z.object({ id, participant: chatParticipantSchema, body: z.string().trim().min(1).max(10_000) }),
  response: chatLineSchema,
});
/** Ends the chat (either side): the transcript becomes a public message of the ticket. Ending it again answers the ended chat. */
export const endChat = defineCommand('support-tickets.chat.end', 1, {
  request: z.object({ id, participant: chatParticipantSchema }),
  response: chatSchema,
});
export const chatEnded = defineEvent('support-tickets.chat.ended', 1, z.object({ chat: chatSchema }));

// ---------------------------------------------------------------------------------------------
// Groups (queues) and assignment: a group's members are agents (user ids) with their availability;
// a new ticket in the group (or one moved into it) without an assignee goes to an available member,
// by round robin or to the one with the fewest open tickets, or waits for a manual pick.

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'fewest_open'] as const;
export const groupMemberSchema = z.object({ userId: id, available: z.boolean(), joinedAt: timestamp });
export const ticketGroupSchema = z.object({
  id,
  name: z.string(),
  assignment: z.enum(ASSIGNMENT_MODES),
  members: z.array(groupMemberSchema),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type TicketGroup = z.infer<typeof ticketGroupSchema>;
export const ticketGroupInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  assignment: z.enum(ASSIGNMENT_MODES).default('manual'),
});
export const ticketGroupPatchSchema = z.object({ name: z.string().trim().min(1).max(200), assignment: z.enum(ASSIGNMENT_MODES) }).partial();
/** A name once per tenant (again: CONFLICT). */
export const createTicketGroup = defineCommand('support-tickets.group.create', 1, { request: z.object({ group: ticketGroupInputSchema }), response: ticketGroupSchema });
export const listTicketGroups = defineQuery('support-tickets.group.list', 1, { request: z.object({}), response: z.object({ data: z.array(ticketGroupSchema) }) });
export const getTicketGroup = defineQuery('support-tickets.group.get', 1, { request: z.object({ id }), response: ticketGroupSchema });
export const updateTicketGroup = defineCommand('support-tickets.group.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: ticketGroupPatchSchema }),
  response: ticketGroupSchema,
});
/** Its tickets keep their group id (reassign them first); NOT_FOUND when it is not there. */
export const deleteTicketGroup = defineCommand('support-tickets.group.delete', 1, { request: z.object({ id }), response: z.object({ deleted: z.boolean() }) });
/** Adds an agent to the group, or sets their availability (an unavailable member gets no new tickets). */
export const putGroupMember = defineCommand('support-tickets.group.put-member', 1, {
  request: z.object({ id, userId: id, available: z.boolean().default(true) }),
  response: ticketGroupSchema,
});
export const removeGroupMember = defineCommand('support-tickets.group.remove-member', 1, { request: z.object({ id, userId: id }), response: ticketGroupSchema });

// ---------------------------------------------------------------------------------------------
// Macros: a canned reply (or note) that also sets fields, applied to a ticket in one step.

const macroSetSchema = z
  .object({ status: z.enum(TICKET_STATUSES), priority: z.enum(TICKET_PRIORITIES), groupId: id.nullable(), assigneeId: id.nullable() })
  .partial();
const macroFields = {
  name: z.string().trim().min(1).max(200),
  /** A Liquid template: {{ ticket.number }}, {{ ticket.subject }}, {{ requester.name }}, {{ requester.email }}, {{ agent.id }}. */
  reply: z.object({ kind: z.enum(TICKET_MESSAGE_KINDS), body: z.string().trim().min(1).max(100_000) }).nullable(),
  set: macroSetSchema,
  addTags: tagsSchema,
  removeTags: tagsSchema,
};
const hasAction = (m: { reply?: unknown; set?: object; addTags?: unknown[]; removeTags?: unknown[] }) =>
  m.reply != null || Object.keys(m.set ?? {}).length > 0 || (m.addTags?.length ?? 0) > 0 || (m.removeTags?.length ?? 0) > 0;
export const macroInputSchema = z
  .object({
    ...macroFields,
    reply: macroFields.reply.default(null),
    set: macroFields.set.default({}),
    addTags: macroFields.addTags.default([]),
    removeTags: macroFields.removeTags.default([]),
  })
  .refine(hasAction, { message: 'a macro replies, sets a field or changes tags', path: ['reply'] });
export const macroPatchSchema = z.object(macroFields).partial();
export const macroSchema = z.object({
  id,
  name: z.string(),
  reply: z.object({ kind: z.enum(TICKET_MESSAGE_KINDS), body: z.string() }).nullable(),
  set: macroSetSchema,
  addTags: z.array(z.string()),
  removeTags: z.array(z.string()),
  version,
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Macro = z.infer<typeof macroSchema>;
/** A name once per tenant (again: CONFLICT); a reply that is not a valid template: VALIDATION_FAILED naming `reply.body`. */
export const createMacro = defineCommand('support-tickets.macro.create', 1, { request: z.object({ macro: macroInputSchema }), response: macroSchema });
export const listMacros = defineQuery('support-tickets.macro.list', 1, { request: z.object({}), response: z.object({ data: z.array(macroSchema) }) });
export const updateMacro = defineCommand('support-tickets.macro.update', 1, {
  request: z.object({ id, expectedVersion: version.optional(), patch: macroPatchSchema }),
  response: macroSchema,
});
export const deleteMacro = defineCommand('support-tickets.macro.delete', 1, { request: z.object({ id }), response: z.object({ deleted: z.boolean() }) });
/**
 * Applies a macro to a ticket in one transaction: its reply (rendered; a public one on an email
 * ticket is emailed) and its field and tag changes. `expectedVersion`: the ticket's (If-Match).
 */
export const applyMacro = defineCommand('support-tickets.macro.apply', 1, {
  request: z.object({ id, ticketId: id, expectedVersion: version.optional() }),
  response: ticketWithThreadSchema,
});

// ---------------------------------------------------------------------------------------------
// Phone: a call log that opens a ticket (channel phone) or joins one.

export const phoneCallSchema = z.object({
  id,
  ticketId: id,
  direction: z.enum(['inbound', 'outbound']),
  phoneNumber: personal(z.string()),
  durationSeconds: z.number().int().nonnegative(),
  recordingUrl: z.string().nullable(),
  notes: personal(z.string()),
  agentId: z.string(),
  startedAt: timestamp,
  createdAt: timestamp,
});
export type PhoneCall = z.infer<typeof phoneCallSchema>;
export const phoneCallInputSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    /** E.164 or as dialled: digits, spaces, dashes, dots, brackets, a leading +. */
    phoneNumber: z.string().trim().regex(/^\+?[0-9 ().-]{3,30}$/, 'a phone number: digits, spaces, dashes, dots, brackets, a leading +'),
    durationSeconds: z.number().int().min(0).max(86_400),
    recordingUrl: z.url({ protocol: /^https?$/ }).max(2_000).nullable().default(null),
    notes: z.string().trim().min(1).max(100_000),
    startedAt: timestamp.optional(),
    /** Joins this ticket (an internal note of the call); without it, a new ticket of channel phone. */
    ticketId: id.optional(),
    subject: z.string().trim().min(1).max(500).optional(),
    requesterId: id.nullable().default(null),
  })
  .refine((c) => c.ticketId !== undefined || c.subject !== undefined, { message: 'a new ticket needs a subject (or give ticketId)', path: ['subject'] });
/** Logs a call: on the given ticket (closed: CONFLICT), or a new one; the call's note goes on the thread. */
export const logPhoneCall = defineCommand('support-tickets.phone-call.log', 1, {
  request: z.object({ call: phoneCallInputSchema }),
  response: z.object({ call: phoneCallSchema, ticket: ticketWithThreadSchema }),
});
export const listPhoneCalls = defineQuery('support-tickets.phone-call.list', 1, { request: z.object({ ticketId: id }), response: z.object({ data: z.array(phoneCallSchema) }) });
export const phoneCallLogged = defineEvent('support-tickets.phone-call.logged', 1, z.object({ call: phoneCallSchema.omit({ notes: true }) }));

// ---------------------------------------------------------------------------------------------
// The public web form: a tenant's "contact support" form on any web page; each submission a
// ticket of channel web (rate-limited per IP by the gateway, a honeypot field, allowed origins).

const origin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^/\s?#]+$/, 'an origin: scheme, host and port only (https://shop.example)')
  .transform((o) => o.toLowerCase());
export const supportFormSchema = z.object({
  id,
  /** The unguessable key in the public route: /api/v1/support-forms/<key>/submissions. */
  formKey: z.string(),
  name: z.string(),
  groupId: id.nullable(),
  allowedOrigins: z.array(z.string()),
  active: z.boolean(),
  createdAt: timestamp,
});
export type SupportForm = z.infer<typeof supportFormSchema>;
export const supportFormInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  groupId: id.nullable().default(null),
  /** Pages on these origins may post it from a browser; empty: server-side posts only. */
  allowedOrigins: z.array(origin).max(20).default([]),
  active: z.boolean().default(true),
});
export const createSupportForm = defineCommand('support-tickets.support-form.create', 1, { request: z.object({ form: supportFormInputSchema }), response: supportFormSchema });
export const listSupportForms = defineQuery('support-tickets.support-form.list', 1, { request: z.object({}), response: z.object({ data: z.array(supportFormSchema) }) });
export const setSupportFormActive = defineCommand('support-tickets.support-form.set-active', 1, {
  request: z.object({ id, active: z.boolean() }),
  response: supportFormSchema,
});
export const supportFormSubmissionSchema = z.object({
  name: personal(z.string().trim().min(1).max(200)),
  email: customerEmail,
  subject: z.string().trim().min(1).max(500),
  body: z.string().trim().min(1).max(20_000),
  /** The honeypot: hidden from people, filled by bots; a submission with it is answered alike and dropped. */
  website: z.string().max(500).optional(),
});
/** A web page's submission: a ticket of the form's tenant and group (FORBIDDEN from an origin it does not allow, NOT_FOUND for no active form). */
export const submitSupportForm = defineCommand('support-tickets.support-form.submit', 1, {
  request: z.object({ formKey: z.string().min(1).max(100), origin: z.string().max(255).nullable().optional(), submission: supportFormSubmissionSchema }),
  response: z.object({ ticketNumber: z.number().int().nullable(), allowedOrigins: z.array(z.string()) }),
});
/** The CORS preflight's answer: the active form's allowed origins. */
export const supportFormOrigins = defineQuery('support-tickets.support-form.origins', 1, {
  request: z.object({ formKey: z.string().min(1).max(100) }),
  response: z.object({ allowedOrigins: z.array(z.string()) }),
});

// ---------------------------------------------------------------------------------------------
// CSAT: once solved, the requester gets a one-click rating email (good / bad, a comment) with a
// signed link; the rating lands on the ticket.

export const CSAT_RATINGS = ['good', 'bad'] as const;
/** The link's token (HMAC-signed: tenant and ticket), as the public route passes it on. */
const csatToken = z.string().regex(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/, 'is not a rating link');
/** The ticket a rating link names (a page shows it before the customer confirms). */
export const getCsatSurvey = defineQuery('support-tickets.csat.get', 1, {
  request: z.object({ token: csatToken }),
  response: z.object({ ticketNumber: z.number().int(), subject: z.string(), rating: z.enum(CSAT_RATINGS).nullable() }),
});
/** Records (or changes) the requester's rating of a solved or closed ticket; VALIDATION_FAILED naming `token` for a link not ours. */
export const rateTicket = defineCommand('support-tickets.csat.rate', 1, {
  request: z.object({ token: csatToken, rating: z.enum(CSAT_RATINGS), comment: z.string().trim().max(2_000).nullable().default(null) }),
  response: z.object({ ticketNumber: z.number().int(), rating: z.enum(CSAT_RATINGS) }),
});
/** A rating arrived (its comment stays in the service). */
export const ticketCsatReceived = defineEvent('support-tickets.ticket.csat-received', 1, z.object({ ticket: ticketSchema, rating: z.enum(CSAT_RATINGS) }));
