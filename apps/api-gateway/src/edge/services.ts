/**
 * The services the gateway may address over the bus by name (e.g. diagnostics). A name not in
 * this list never becomes a queue name: callers cannot make the gateway declare arbitrary queues.
 */
export const KNOWN_SERVICES = ['contacts', 'analytics', 'sales-automation', 'integration-gateway', 'support-tickets'] as const;
export type KnownService = (typeof KNOWN_SERVICES)[number];

export function isKnownService(name: string): name is KnownService {
  return (KNOWN_SERVICES as readonly string[]).includes(name);
}
