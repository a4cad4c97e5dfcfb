import type { IncomingMessage } from 'node:http';

const ROUTE_PATTERN = Symbol.for('crm.observability.routePattern');

type WithRoute = IncomingMessage & { [ROUTE_PATTERN]?: string };

/** Keeps the matched route's pattern (e.g. `/api/v1/contacts/:id`) on the raw request, for the request log line. */
export function rememberRoutePattern(raw: IncomingMessage, pattern: string | undefined): void {
  if (pattern !== undefined) (raw as WithRoute)[ROUTE_PATTERN] = pattern;
}

/**
 * The request's URL as it may be logged: the route pattern instead of the path (path parameters
 * are record ids, sometimes an email address), and the query's names with their values
 * redacted (`?q=jane.doe@x.com` is personal data). A request no route matched logs `(no route)`:
 * nothing tells which of its segments are data.
 */
export function loggableUrl(raw: IncomingMessage | undefined, url: string): string {
  const pattern = raw ? (raw as WithRoute)[ROUTE_PATTERN] : undefined;
  const queryStart = url.indexOf('?');
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=', 1)[0]);
  return `${pattern ?? '(no route)'}${names.length ? `?${names.map((name) => `${name}=[REDACTED]`).join('&')}` : ''}`;
}
