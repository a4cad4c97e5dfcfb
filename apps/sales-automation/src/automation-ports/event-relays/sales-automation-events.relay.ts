import { Controller } from '@nestjs/common';
import {
  EventData,
  EventEnvelope,
  dealCreated,
  dealDeleted,
  dealErpOrderRecorded,
  dealLost,
  dealMoved,
  dealUpdated,
  dealWon,
  leadConverted,
  leadCreated,
  leadDeleted,
  leadDisqualified,
  leadFormCreated,
  leadFormDeleted,
  leadFormUpdated,
  leadUpdated,
  orderRecorded,
  orderStatusChanged,
  orderUpdated,
  pipelineCreated,
  pipelineDeleted,
  pipelineUpdated,
  productCreated,
  productDeleted,
  productUpdated,
  taskCompleted,
  taskCreated,
  taskDeleted,
  taskReminderDue,
  taskUpdated,
  workflowRuleCreated,
  workflowRuleDeleted,
  workflowRuleRunFailed,
  emailTemplateCreated,
  emailTemplateUpdated,
  emailTemplateDeleted,
  emailConsentChanged,
  emailSent,
  workflowRuleUpdated,
  sequenceCreated,
  sequenceUpdated,
  sequenceDeleted,
  enrolmentStarted,
  enrolmentUpdated,
  enrolmentEnded,
  campaignCreated,
  campaignUpdated,
  emailEngaged,
  emailSenderChanged,
} from '@crm/contracts';
import { OnEvent } from '@crm/messaging';
import { automationEventOf } from '../automation-event-of';
import { AutomationEvents } from '../automation-events';

/**
 * This service's own events, consumed back over the bus like any other service's events.
 *
 * Why over the bus and not in-process after the outbox write: the broker lets a service read
 * every routing key on crm.events (tools/bus-users.sh limits only what it may publish), and the
 * consumer trusts an event whose source and broker user are its owner's, which ours are. So the
 * outbox relay and the inbox give our own events the same guarantees as anyone else's: emitted
 * only after the writing transaction committed, once per envelope id, retried (and parked) on a
 * listener's failure, and with the envelope's `automationdepth`. An in-process emit after commit
 * would be lost on a crash between the commit and the emit.
 * Each handler only hands the event to AutomationEvents (rules, sequences), through the inbox.
 */
@Controller()
export class SalesAutomationEventsRelay {
  constructor(private readonly automation: AutomationEvents) {}

  @OnEvent(productCreated, { scope: 'tenant' })
  onProductCreated(data: EventData<typeof productCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(productUpdated, { scope: 'tenant' })
  onProductUpdated(data: EventData<typeof productUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(productDeleted, { scope: 'tenant' })
  onProductDeleted(data: EventData<typeof productDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(orderRecorded, { scope: 'tenant' })
  onOrderRecorded(data: EventData<typeof orderRecorded>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(orderStatusChanged, { scope: 'tenant' })
  onOrderStatusChanged(data: EventData<typeof orderStatusChanged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(orderUpdated, { scope: 'tenant' })
  onOrderUpdated(data: EventData<typeof orderUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadCreated, { scope: 'tenant' })
  onLeadCreated(data: EventData<typeof leadCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadConverted, { scope: 'tenant' })
  onLeadConverted(data: EventData<typeof leadConverted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadDisqualified, { scope: 'tenant' })
  onLeadDisqualified(data: EventData<typeof leadDisqualified>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadUpdated, { scope: 'tenant' })
  onLeadUpdated(data: EventData<typeof leadUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadDeleted, { scope: 'tenant' })
  onLeadDeleted(data: EventData<typeof leadDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadFormCreated, { scope: 'tenant' })
  onLeadFormCreated(data: EventData<typeof leadFormCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadFormUpdated, { scope: 'tenant' })
  onLeadFormUpdated(data: EventData<typeof leadFormUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(leadFormDeleted, { scope: 'tenant' })
  onLeadFormDeleted(data: EventData<typeof leadFormDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(pipelineCreated, { scope: 'tenant' })
  onPipelineCreated(data: EventData<typeof pipelineCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(pipelineUpdated, { scope: 'tenant' })
  onPipelineUpdated(data: EventData<typeof pipelineUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(pipelineDeleted, { scope: 'tenant' })
  onPipelineDeleted(data: EventData<typeof pipelineDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealCreated, { scope: 'tenant' })
  onDealCreated(data: EventData<typeof dealCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealUpdated, { scope: 'tenant' })
  onDealUpdated(data: EventData<typeof dealUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealMoved, { scope: 'tenant' })
  onDealMoved(data: EventData<typeof dealMoved>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealWon, { scope: 'tenant' })
  onDealWon(data: EventData<typeof dealWon>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealLost, { scope: 'tenant' })
  onDealLost(data: EventData<typeof dealLost>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealDeleted, { scope: 'tenant' })
  onDealDeleted(data: EventData<typeof dealDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(taskCreated, { scope: 'tenant' })
  onTaskCreated(data: EventData<typeof taskCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(taskCompleted, { scope: 'tenant' })
  onTaskCompleted(data: EventData<typeof taskCompleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(taskUpdated, { scope: 'tenant' })
  onTaskUpdated(data: EventData<typeof taskUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(taskDeleted, { scope: 'tenant' })
  onTaskDeleted(data: EventData<typeof taskDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(taskReminderDue, { scope: 'tenant' })
  onTaskReminderDue(data: EventData<typeof taskReminderDue>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(dealErpOrderRecorded, { scope: 'tenant' })
  onDealErpOrderRecorded(data: EventData<typeof dealErpOrderRecorded>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(workflowRuleCreated, { scope: 'tenant' })
  onWorkflowRuleCreated(data: EventData<typeof workflowRuleCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(workflowRuleUpdated, { scope: 'tenant' })
  onWorkflowRuleUpdated(data: EventData<typeof workflowRuleUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(workflowRuleDeleted, { scope: 'tenant' })
  onWorkflowRuleDeleted(data: EventData<typeof workflowRuleDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(workflowRuleRunFailed, { scope: 'tenant' })
  onWorkflowRuleRunFailed(data: EventData<typeof workflowRuleRunFailed>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailTemplateCreated, { scope: 'tenant' })
  onEmailTemplateCreated(data: EventData<typeof emailTemplateCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailTemplateUpdated, { scope: 'tenant' })
  onEmailTemplateUpdated(data: EventData<typeof emailTemplateUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailTemplateDeleted, { scope: 'tenant' })
  onEmailTemplateDeleted(data: EventData<typeof emailTemplateDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailConsentChanged, { scope: 'tenant' })
  onEmailConsentChanged(data: EventData<typeof emailConsentChanged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailSent, { scope: 'tenant' })
  onEmailSent(data: EventData<typeof emailSent>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(sequenceCreated, { scope: 'tenant' })
  onSequenceCreated(data: EventData<typeof sequenceCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(sequenceUpdated, { scope: 'tenant' })
  onSequenceUpdated(data: EventData<typeof sequenceUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(sequenceDeleted, { scope: 'tenant' })
  onSequenceDeleted(data: EventData<typeof sequenceDeleted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(enrolmentStarted, { scope: 'tenant' })
  onEnrolmentStarted(data: EventData<typeof enrolmentStarted>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(enrolmentUpdated, { scope: 'tenant' })
  onEnrolmentUpdated(data: EventData<typeof enrolmentUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(enrolmentEnded, { scope: 'tenant' })
  onEnrolmentEnded(data: EventData<typeof enrolmentEnded>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailSenderChanged, { scope: 'tenant' })
  onEmailSenderChanged(data: EventData<typeof emailSenderChanged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(emailEngaged, { scope: 'tenant' })
  onEmailEngaged(data: EventData<typeof emailEngaged>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(campaignCreated, { scope: 'tenant' })
  onCampaignCreated(data: EventData<typeof campaignCreated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }

  @OnEvent(campaignUpdated, { scope: 'tenant' })
  onCampaignUpdated(data: EventData<typeof campaignUpdated>, envelope: EventEnvelope) {
    return this.automation.emit(automationEventOf(envelope, data));
  }
}
