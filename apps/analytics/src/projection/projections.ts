import {
  companyCreated,
  companyDeleted,
  companyRestored,
  companyUpdated,
  contactCreated,
  contactDeleted,
  contactErased,
  contactMerged,
  contactRestored,
  contactUpdated,
  dealCreated,
  dealDeleted,
  dealLost,
  dealMoved,
  dealUpdated,
  dealWon,
  EventContract,
  EventData,
  interactionLogged,
  leadConverted,
  leadCreated,
  leadDeleted,
  leadDisqualified,
  leadFormCreated,
  leadFormDeleted,
  leadFormUpdated,
  orderRecorded,
  orderStatusChanged,
  pipelineCreated,
  pipelineDeleted,
  pipelineUpdated,
  productCreated,
  productDeleted,
  productUpdated,
  leadUpdated,
  slaBreached,
  slaWarning,
  ticketCreated,
  ticketCsatReceived,
  ticketMerged,
  ticketMessageAdded,
  ticketUpdated,
  orderUpdated,
  taskCompleted,
  taskCreated,
  taskDeleted,
  taskUpdated,
  type Contact,
  type Deal,
  type Lead,
  type LeadForm,
  type Order,
  type Pipeline,
  type Product,
  type Task,
  type Ticket,
} from '@crm/contracts';
import type { LoggedEvent } from '../event-log/logged-event';
import type { InteractionFact } from '../read-models/interaction-fact.table';
import type { ContactChange, ContactState } from './contact-state';

/** A logged event of a contract, its data as the contract parsed it (without the personal fields once scrubbed). */
export type LoggedEventOf<C extends EventContract> = LoggedEvent<EventData<C>>;

/** Where an event's data keeps the entity it is about, the contact whose personal data it may carry, and that entity's version. */
export interface Location {
  entityId: string;
  /** null for companies. */
  contactId: string | null;
  version?: number;
}

/** The read-model steps a projection is made of (the Projector's). */
export interface ProjectionSteps {
  changeContact(event: LoggedEvent, change: ContactChange, known?: ContactState | null): Promise<unknown>;
  merge(event: LoggedEventOf<typeof contactMerged>, survivorChange: ContactChange, survivorBefore?: ContactState | null): Promise<void>;
  erase(event: LoggedEvent, change: Extract<ContactChange, { kind: 'erased' }>, known?: ContactState | null): Promise<void>;
  applyCompanyVersion(event: LoggedEvent, deletedAt: Date | null): Promise<void>;
  recordInteraction(event: LoggedEvent, fact: InteractionFact): Promise<void>;
  fileUnderContact(event: LoggedEvent): Promise<void>;
}

/**
 * What analytics does with the events of one contract. Method syntax on purpose: an entry of any
 * contract fits the map's entry type.
 */
export interface Projection<C extends EventContract> {
  readonly contract: C;
  locate(data: EventData<C>): Location;
  /**
   * Merges and erasures change other contacts and other events' log rows, and the erasure check
   * of the log reads what they write: they end a run of events projected together (BulkProjector).
   */
  readonly endsRun?: true;
  /** The change the event makes to its own contact alone: a run applies these in memory. */
  contactChange?(event: LoggedEventOf<C>): ContactChange;
  /** The interaction the event records: a run records them with one statement. */
  interaction?(event: LoggedEventOf<C>): InteractionFact;
  /** Applies the event on its own, in the caller's transaction with the tenant's lock held. */
  project(steps: ProjectionSteps, event: LoggedEventOf<C>, known?: ContactState | null): Promise<unknown>;
}

const projection = <C extends EventContract>(entry: Projection<C>): Projection<C> => entry;

const ofContact = (contact: Pick<Contact, 'id' | 'version'>): Location => ({ entityId: contact.id, contactId: contact.id, version: contact.version });
const ofCompany = (company: { id: string; version: number }): Location => ({ entityId: company.id, contactId: null, version: company.version });

/** A scrubbed state event only says the contact existed at that version: its erasure is logged too. */
function stateChange(event: LoggedEventOf<typeof contactCreated | typeof contactUpdated | typeof contactRestored | typeof contactMerged>): ContactChange {
  if (event.scrubbed) return { kind: 'erased', version: event.entityVersion, at: null };
  const { lifecycleStage, companyId } = event.data.contact;
  return { kind: 'state', version: event.entityVersion, lifecycleStage, companyId: companyId ?? null, at: event.occurredAt };
}

const deletedChange = (event: LoggedEventOf<typeof contactDeleted>): ContactChange => ({
  kind: 'deleted',
  version: event.entityVersion,
  at: new Date(event.data.deletedAt),
});

/** The interaction as recorded, under its own contact (a merge is followed when it is recorded). */
function interactionFact({ data: { interaction } }: LoggedEventOf<typeof interactionLogged>): InteractionFact {
  return { interactionId: interaction.id, contactId: interaction.contactId, channel: interaction.channel, occurredAt: new Date(interaction.occurredAt) };
}

const contactState = <C extends typeof contactCreated | typeof contactUpdated | typeof contactRestored>(contract: C) =>
  projection<C>({
    contract,
    locate: (data) => ofContact(data.contact),
    contactChange: stateChange,
    project: (steps, event, known) => steps.changeContact(event, stateChange(event), known),
  });

const companyState = <C extends typeof companyCreated | typeof companyUpdated | typeof companyRestored>(contract: C) =>
  projection<C>({
    contract,
    locate: (data) => ofCompany(data.company),
    project: (steps, event) => steps.applyCompanyVersion(event, null),
  });

/**
 * An event analytics keeps in its log and projects nothing from yet (the sales reports come
 * later and replay the log): located by its entity and the contact whose personal data it carries.
 */
const loggedOnly = <C extends EventContract>(contract: C, locate: (data: EventData<C>) => Location) =>
  projection<C>({ contract, locate, project: () => Promise.resolve() });

const ofOrder = ({ order }: { order: Order }): Location => ({ entityId: order.id, contactId: order.contactId, version: order.version });
const ofDeal = ({ deal }: { deal: Deal }): Location => ({ entityId: deal.id, contactId: deal.contactId, version: deal.version });
/** A lead carries personal data of its own; once converted it is the contact's (erasing the contact scrubs it). */
const ofLead = ({ lead }: { lead: Lead }): Location => ({ entityId: lead.id, contactId: lead.convertedContactId, version: lead.version });
const ofTask = ({ task }: { task: Task }): Location => ({
  entityId: task.id,
  contactId: task.relatedType === 'contact' ? task.relatedId : null,
  version: task.version,
});

/** Catalogue and configuration: about no contact. */
const ofProduct = ({ product }: { product: Product }): Location => ({ entityId: product.id, contactId: null, version: product.version });
const ofPipeline = ({ pipeline }: { pipeline: Pipeline }): Location => ({ entityId: pipeline.id, contactId: null, version: pipeline.version });
const ofForm = ({ form }: { form: LeadForm }): Location => ({ entityId: form.id, contactId: null, version: form.version });

/** The sales service's events: logged for its reports. */
const SALES_PROJECTIONS = [
  loggedOnly(orderRecorded, ofOrder),
  loggedOnly(orderStatusChanged, ofOrder),
  loggedOnly(orderUpdated, ofOrder),
  loggedOnly(dealCreated, ofDeal),
  loggedOnly(dealUpdated, ofDeal),
  loggedOnly(dealMoved, ofDeal),
  loggedOnly(dealWon, ofDeal),
  loggedOnly(dealLost, ofDeal),
  loggedOnly(dealDeleted, (data) => ({ entityId: data.dealId, contactId: null })),
  loggedOnly(leadCreated, ofLead),
  loggedOnly(leadUpdated, ofLead),
  loggedOnly(leadDeleted, (data) => ({ entityId: data.leadId, contactId: null })),
  // The lead's earlier entries (its names, email) become the contact's: erasing the contact scrubs them.
  projection({
    contract: leadConverted,
    locate: (data) => ({ ...ofLead(data), contactId: data.contactId }),
    project: (steps, event) => steps.fileUnderContact(event),
  }),
  loggedOnly(leadDisqualified, ofLead),
  loggedOnly(taskCreated, ofTask),
  loggedOnly(taskUpdated, ofTask),
  loggedOnly(taskDeleted, (data) => ({ entityId: data.taskId, contactId: null })),
  loggedOnly(taskCompleted, ofTask),
  loggedOnly(productCreated, ofProduct),
  loggedOnly(productUpdated, ofProduct),
  loggedOnly(productDeleted, (data) => ({ entityId: data.productId, contactId: null })),
  loggedOnly(pipelineCreated, ofPipeline),
  loggedOnly(pipelineUpdated, ofPipeline),
  loggedOnly(pipelineDeleted, (data) => ({ entityId: data.pipelineId, contactId: null })),
  loggedOnly(leadFormCreated, ofForm),
  loggedOnly(leadFormUpdated, ofForm),
  loggedOnly(leadFormDeleted, (data) => ({ entityId: data.formId, contactId: null })),
] as const;

/** A ticket carries its requester's personal data (subject, address): it is the requester's. */
const ofTicket = ({ ticket }: { ticket: Ticket }): Location => ({ entityId: ticket.id, contactId: ticket.requesterId, version: ticket.version });

/** The support service's ticket events: logged for its reports. */
const SUPPORT_PROJECTIONS = [
  loggedOnly(ticketCreated, ofTicket),
  // A sender identified as a contact: the ticket's earlier entries (their address) become the contact's.
  projection({
    contract: ticketUpdated,
    locate: ofTicket,
    project: (steps, event) => (event.data.changed?.includes('requesterId') ? steps.fileUnderContact(event) : Promise.resolve()),
  }),
  loggedOnly(ticketMessageAdded, ofTicket),
  loggedOnly(ticketMerged, ofTicket),
  loggedOnly(slaWarning, ofTicket),
  loggedOnly(slaBreached, ofTicket),
  loggedOnly(ticketCsatReceived, ofTicket),
] as const;

/** Every event analytics consumes, and what it does with each: the one place that knows them. */
export const PROJECTIONS = [
  contactState(contactCreated),
  contactState(contactUpdated),
  contactState(contactRestored),
  projection({
    contract: contactMerged,
    locate: (data) => ofContact(data.contact),
    endsRun: true,
    project: (steps, event, known) => steps.merge(event, stateChange(event), known),
  }),
  projection({
    contract: contactDeleted,
    locate: (data) => ({ entityId: data.contactId, contactId: data.contactId }),
    contactChange: deletedChange,
    project: (steps, event, known) => steps.changeContact(event, deletedChange(event), known),
  }),
  projection({
    contract: contactErased,
    locate: (data) => ({ entityId: data.contactId, contactId: data.contactId }),
    endsRun: true,
    project: (steps, event, known) => steps.erase(event, { kind: 'erased', version: event.entityVersion, at: new Date(event.data.erasedAt) }, known),
  }),
  companyState(companyCreated),
  companyState(companyUpdated),
  companyState(companyRestored),
  projection({
    contract: companyDeleted,
    locate: (data) => ({ entityId: data.companyId, contactId: null }),
    project: (steps, event) => steps.applyCompanyVersion(event, new Date(event.data.deletedAt)),
  }),
  projection({
    contract: interactionLogged,
    locate: (data) => ({ entityId: data.interaction.id, contactId: data.interaction.contactId }),
    interaction: interactionFact,
    project: (steps, event) => steps.recordInteraction(event, interactionFact(event)),
  }),
  ...SALES_PROJECTIONS,
  ...SUPPORT_PROJECTIONS,
] as const;

const byName = new Map<string, Projection<EventContract>>(PROJECTIONS.map((entry) => [entry.contract.name, entry as Projection<EventContract>]));

/** The names of the events analytics consumes. */
export const CONSUMED_EVENT_TYPES = [...byName.keys()];

/** The projection of an event type; throws for one analytics does not consume. */
export function projectionOf(type: string): Projection<EventContract> {
  const entry = byName.get(type);
  if (!entry) throw new Error(`analytics does not consume ${type}`);
  return entry;
}
