import { lookup } from 'node:dns/promises';
import { DomainError } from '@crm/contracts';
import ipaddr from 'ipaddr.js';

/**
 * SSRF, at subscribe time: a webhook URL is http(s), without credentials, and its host (an
 * address, or every address its name resolves to) is a public unicast address: loopback,
 * private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, the cloud metadata address among
 * them), ULA (fc00::/7), CGNAT, multicast and the like are refused unless `allowPrivate`.
 * Connect time is guarded again by the sender's request-filtering agent (DNS rebinding).
 */
export async function assertWebhookTarget(url: string, allowPrivate: boolean): Promise<URL> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refused(url, 'not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw refused(url, 'only http and https');
  if (parsed.username || parsed.password) throw refused(url, 'no credentials in the URL');
  if (allowPrivate) return parsed;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : await resolve(url, host);
  for (const address of addresses) {
    const range = ipaddr.process(address).range();
    if (range !== 'unicast') throw refused(url, `its address ${address} is ${range}, not a public one`);
  }
  return parsed;
}

async function resolve(url: string, host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw refused(url, 'its host does not resolve');
  }
}

function refused(url: string, why: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `webhook URL refused: ${why}`, { field: 'url', url });
}
