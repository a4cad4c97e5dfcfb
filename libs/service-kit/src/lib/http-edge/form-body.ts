import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** Largest form body accepted (a token request or an unsubscribe is a few hundred bytes). */
const FORM_BODY_LIMIT = 16 * 1024;

/**
 * application/x-www-form-urlencoded bodies (an OAuth token request, RFC 6749; a one-click unsubscribe, RFC 8058), parsed into a
 * plain object (a repeated key keeps its first value) by the WHATWG URLSearchParams.
 */
@Injectable()
export class FormBodyParser implements OnModuleInit {
  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.host.httpAdapter?.getInstance() as FastifyInstance | undefined;
    if (!fastify || fastify.hasContentTypeParser('application/x-www-form-urlencoded')) return;
    fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) => {
      const fields: Record<string, string> = {};
      for (const [key, value] of new URLSearchParams(body as string)) if (!(key in fields)) fields[key] = value;
      done(null, fields);
    });
  }
}
