import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@crm/observability';
import type { FastifyReply } from 'fastify';
import { OAuthError } from '../oauth-error';
import { TokenRequest, TokenService } from './token.service';

const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', enum: ['client_credentials'] },
    client_id: { type: 'string', description: 'The API client id (or HTTP Basic)' },
    client_secret: { type: 'string', description: 'The API client secret (or HTTP Basic)' },
    scope: { type: 'string', description: "Space-separated scopes, some of the client's (default: all of them)" },
  },
};

/** POST /oauth/token: the client-credentials grant (RFC 6749 §4.4); errors as §5.2 says. */
@Public()
@ApiTags('oauth')
@Controller('oauth')
export class TokenController {
  constructor(private readonly service: TokenService) {}

  @ApiOperation({ operationId: 'issueToken', summary: 'An access token for an API client (OAuth 2.0 client credentials)' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: TOKEN_REQUEST_SCHEMA })
  @ApiResponse({
    status: 200,
    description: 'The access token',
    schema: {
      type: 'object',
      required: ['access_token', 'token_type', 'expires_in', 'scope'],
      properties: {
        access_token: { type: 'string' },
        token_type: { type: 'string', enum: ['Bearer'] },
        expires_in: { type: 'integer' },
        scope: { type: 'string' },
      },
    },
  })
  @ApiResponse({ status: 400, description: 'invalid_request, invalid_scope or unsupported_grant_type (RFC 6749 §5.2)' })
  @ApiResponse({ status: 401, description: 'invalid_client (RFC 6749 §5.2)' })
  @Post('token')
  @HttpCode(200)
  async token(@Body() body: unknown, @Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) reply: FastifyReply) {
    // RFC 6749 §5.1: no caching of token responses.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      return await this.service.issue(body && typeof body === 'object' ? (body as TokenRequest) : {}, authorization);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.status === 401) void reply.header('www-authenticate', 'Basic realm="oauth", error="invalid_client"');
      void reply.status(error.status).header('content-type', 'application/json');
      return { error: error.error, error_description: error.description };
    }
  }
}
