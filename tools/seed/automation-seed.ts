import type { GatewayClient } from './gateway-client';

export interface AutomationSeedCounts {
  emailTemplates: number;
  sequences: number;
  workflowRules: number;
}

const THANK_YOU_HTML = `<p>Hello {{ contact.firstName | default: "there" }},</p>
<p>thank you for your order{% if order %} of {{ order.totalMinor | divided_by: 100.0 }} {{ order.currency }}{% endif %}. We are preparing it now.</p>
<p>{{ sender.name }}</p>`;

const OFFER_HTML = `<p>Hello {{ contact.firstName | default: "there" }},</p>
<p>three weeks ago you bought from us. As a thank-you, here is 10% off your next order: use the code <strong>AGAIN10</strong>.</p>
<p><a href="{{ unsubscribe_url }}">Unsubscribe from offers</a></p>`;

/**
 * The seeds' own example of what the CRM automates, ready-made in the demo tenant: an order
 * recorded → a workflow rule starts the purchase sequence → a thank-you now → an offer three weeks
 * later, unless the customer bought again meanwhile (the sequence exits on a purchase; the offer is
 * marketing mail, sent only to subscribed contacts). Made last, after the demo orders, so that
 * seeding sends no mail; every order recorded after it does.
 */
export async function seedAutomation(client: GatewayClient): Promise<AutomationSeedCounts> {
  const thankYou = await client.post<{ id: string }>('/api/v1/email-templates', {
    name: 'Thank you for your order',
    purpose: 'transactional',
    subject: 'Thank you for your order, {{ contact.firstName | default: "dear customer" }}',
    html: THANK_YOU_HTML,
  });
  const offer = await client.post<{ id: string }>('/api/v1/email-templates', {
    name: 'Come back: 10% off',
    purpose: 'marketing',
    subject: '{{ contact.firstName | default: "Hello" }}, 10% off your next order',
    html: OFFER_HTML,
  });
  const sequence = await client.post<{ id: string }>('/api/v1/sequences', {
    name: 'After a purchase: thank-you now, an offer in three weeks',
    exitOn: ['purchased', 'unsubscribed'],
    steps: [
      { type: 'sendEmail', templateId: thankYou.id },
      { type: 'wait', days: 21 },
      { type: 'sendEmail', templateId: offer.id },
    ],
  });
  await client.post('/api/v1/workflow-rules', {
    name: 'Order recorded → the purchase sequence',
    trigger: { kind: 'event', type: 'sales-automation.order.recorded.v1' },
    actions: [{ type: 'startSequence', sequenceId: sequence.id }],
  });
  return { emailTemplates: 2, sequences: 1, workflowRules: 1 };
}
