import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../app.config';

/** The media type of a raw RFC 5322 message (what mail providers' inbound webhooks post). */
export const RAW_EMAIL_MEDIA_TYPE = 'message/rfc822';

/** message/rfc822 bodies as a Buffer, up to GATEWAY_INBOUND_EMAIL_MAX_BYTES (Fastify answers 413 beyond). */
@Injectable()
export class RawEmailBodyParser implements OnModuleInit {
  constructor(
    private readonly host: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser(RAW_EMAIL_MEDIA_TYPE)) return;
    fastify.addContentTypeParser(RAW_EMAIL_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit: this.config.GATEWAY_INBOUND_EMAIL_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );
  }
}
