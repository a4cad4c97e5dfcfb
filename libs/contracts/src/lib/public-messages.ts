import { leadFormOrigins, recordEmailEngagement, submitLeadForm, unsubscribeByToken } from './sales-automation';
import { getCsatSurvey, rateTicket, redeemPortalLink, requestPortalLink, submitSupportForm, supportFormOrigins } from './support-tickets';

/**
 * The commands and queries a service answers without a tenant, besides each service's
 * diagnostics echo: every one a reviewed decision, with why. Each service's
 * handler-guarding.spec.ts (the same file everywhere) allows exactly its own of these.
 */
export const PUBLIC_MESSAGES: Readonly<Record<string, string>> = {
  [submitLeadForm.name]: 'web-to-lead: an anonymous web page posts it; the tenant is the one whose active form the unguessable form key names',
  [leadFormOrigins.name]: 'web-to-lead CORS preflight: answers only the allowed origins of the active form the key names',
  [unsubscribeByToken.name]: 'RFC 8058 one-click unsubscribe: a mail client posts it with no credentials; the HMAC-signed token names the tenant and contact',
  [recordEmailEngagement.name]:
    'the open pixel and click redirect of a marketing message: a mail client loads them with no credentials; the HMAC-signed token names the send (and the URL a click may go to)',
  [requestPortalLink.name]:
    "portal sign-in: an anonymous visitor of the tenant's portal asks; the link only ever goes to the address asked, and only if it asked tickets of the tenant",
  [submitSupportForm.name]: "the support web form: an anonymous web page posts it; the tenant is the one whose active form the unguessable form key names",
  [supportFormOrigins.name]: "the support web form's CORS preflight: answers only the allowed origins of the active form the key names",
  [getCsatSurvey.name]: 'the CSAT rating link in a solved ticket\'s email: a browser opens it with no credentials; the HMAC-signed token names tenant and ticket',
  [rateTicket.name]: 'the CSAT rating link in a solved ticket\'s email: the customer confirms it with no credentials; the HMAC-signed token names tenant and ticket',
  [redeemPortalLink.name]: 'portal sign-in: the anonymous holder of a one-time link spends its token; the token itself names tenant and customer',
};
