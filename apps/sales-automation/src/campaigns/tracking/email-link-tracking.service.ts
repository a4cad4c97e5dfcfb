import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../app.config';
import { EmailLinkTracking, TrackedSend } from '../../automation-ports/email-link-tracking.port';
import { TrackingTokens } from './tracking-token';

/** Every http(s) link of an anchor's href, the unsubscribe link excepted (it must work without a detour, and is not a click worth counting). */
const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"']+)\2/gi;
const UNSUBSCRIBE_PATH = '/api/v1/public/unsubscribe/';

/**
 * Makes marketing mail trackable (the EmailLinkTracking port the email module calls on the
 * rendered HTML): each link goes through the signed click redirect, and a 1×1 open pixel is
 * appended. Both are public gateway routes that record the engagement and answer at once.
 */
@Injectable()
export class EmailLinkTrackingService extends EmailLinkTracking {
  private readonly base: string;

  constructor(
    private readonly tokens: TrackingTokens,
    config: AppConfig,
  ) {
    super();
    this.base = `${config.SALES_AUTOMATION_PUBLIC_BASE_URL.replace(/\/$/, '')}/api/v1/public/email`;
  }

  instrument(html: string, send: TrackedSend): string {
    const linked = html.replace(HREF, (whole, start: string, quote: string, href: string) => {
      const url = decodeEntities(href);
      if (url.includes(UNSUBSCRIBE_PATH)) return whole;
      const redirect = `${this.base}/click/${this.tokens.sign(send.sendId, 'clicked', url)}?u=${encodeURIComponent(url)}`;
      return `${start}${quote}${redirect.replace(/&/g, '&amp;')}${quote}`;
    });
    const pixel = `<img src="${this.base}/open/${this.tokens.sign(send.sendId, 'opened')}" width="1" height="1" alt="" style="display:none">`;
    return /<\/body>/i.test(linked) ? linked.replace(/<\/body>/i, `${pixel}</body>`) : `${linked}${pixel}`;
  }
}

/** An href as the browser reads it: the template's HTML escaping undone (&amp; in a query string). */
function decodeEntities(href: string): string {
  return href
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');
}
