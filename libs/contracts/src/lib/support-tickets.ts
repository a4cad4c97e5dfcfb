import { diagnosticsEcho } from './diagnostics';

/**
 * Messages of the support-tickets service. Every command and query it answers is defined here once
 * (defineCommand / defineQuery / defineEvent from './define'), named `support-tickets.<entity>.<action>`.
 */

/** The diagnostics echo every service answers (probes, benchmarks). */
export const supportTicketsEcho = diagnosticsEcho('support-tickets');
