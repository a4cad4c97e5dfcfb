/**
 * The request's URL as it may be logged: the route pattern instead of the path (path parameters
 * are record ids, sometimes an email address), and the query's names with their values
 * redacted (`?q=jane.doe@x.com` is personal data). A request no route matched logs `(no route)`:
 * nothing tells which of its segments are data.
 */
export function loggableUrl(pattern: string | undefined, url: string): string {
  const queryStart = url.indexOf('?');
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=', 1)[0]);
  return `${pattern ?? '(no route)'}${names.length ? `?${names.map((name) => `${name}=[REDACTED]`).join('&')}` : ''}`;
}
