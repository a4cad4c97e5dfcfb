import { Injectable } from '@nestjs/common';
import http from 'node:http';
import https from 'node:https';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';
import { AppConfig } from '../app.config';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/**
 * One webhook call: POST of the payload signed per Standard Webhooks (webhook-id,
 * webhook-timestamp, webhook-signature), within WEBHOOK_TIMEOUT_MS, through agents that refuse
 * to connect to private, loopback, link-local and metadata addresses whatever the name resolved
 * to (DNS rebinding) unless WEBHOOK_ALLOW_PRIVATE_TARGETS. Redirects are not followed: a 3xx is
 * a failed call. Only a 2xx is a delivery.
 */
@Injectable()
export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;

  constructor(private readonly config: AppConfig) {
    const filtering = { allowPrivateIPAddress: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, allowMetaIPAddress: false };
    this.httpAgent = new RequestFilteringHttpAgent({ ...filtering, keepAlive: false });
    this.httpsAgent = new RequestFilteringHttpsAgent({ ...filtering, keepAlive: false });
  }

  send(target: { url: string; secret: string }, messageId: string, payload: string): Promise<SendResult> {
    const started = Date.now();
    const timestamp = new Date();
    const signature = new Webhook(target.secret).sign(messageId, timestamp, payload);
    const url = new URL(target.url);
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      const done = (result: Omit<SendResult, 'durationMs'>) => resolve({ ...result, durationMs: Date.now() - started });
      const request = client.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
          timeout: this.config.WEBHOOK_TIMEOUT_MS,
          signal: AbortSignal.timeout(this.config.WEBHOOK_TIMEOUT_MS),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
            'user-agent': 'crm-integration-gateway-webhooks/1',
            'webhook-id': messageId,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': signature,
          },
        },
        (response) => {
          const statusCode = response.statusCode ?? null;
          // The body is not kept (the receiver's answer is its status), only drained.
          response.resume();
          response.on('end', () => {
            const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
            done({ ok, statusCode, error: ok ? null : `HTTP ${statusCode}` });
          });
          response.on('error', (error) => done({ ok: false, statusCode, error: error.message }));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`timed out after ${this.config.WEBHOOK_TIMEOUT_MS} ms`)));
      request.on('error', (error) => done({ ok: false, statusCode: null, error: error.message.slice(0, 500) }));
      request.end(payload);
    });
  }
}
