import type { FastifyReply } from 'fastify';

/**
 * CORS for a public form posted from web pages (web-to-lead, the support web form): the answer
 * may be read by the page only when its Origin is one the form allows. Vary: Origin either way, so
 * caches keep the answers apart. Whether it allowed the origin.
 */
export function allowFormOrigin(reply: FastifyReply, origin: string | undefined, allowedOrigins: string[]): boolean {
  void reply.header('vary', 'Origin');
  if (!origin || !allowedOrigins.includes(origin.toLowerCase())) return false;
  void reply.header('access-control-allow-origin', origin);
  return true;
}

/** The preflight's grant for an allowed origin: a JSON POST, for ten minutes. */
export function allowFormPreflight(reply: FastifyReply): void {
  void reply.header('access-control-allow-methods', 'POST').header('access-control-allow-headers', 'content-type').header('access-control-max-age', '600');
}
