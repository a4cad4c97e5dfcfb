import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient, DOCUMENT_PATH, UndocumentedResponseError } from './api-client';

/** A small API document: one operation, its 200 body and its problem 404. */
const DOCUMENT = {
  openapi: '3.0.0',
  info: { title: 'probe', version: '1' },
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'A thing',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'count'],
                  properties: {
                    id: { type: 'string', format: 'uuid' },
                    count: { type: 'integer', minimum: 0, exclusiveMinimum: true },
                    note: { type: 'string', nullable: true },
                    mood: { type: 'string', enum: ['calm'], nullable: true },
                  },
                },
              },
            },
          },
          '404': { description: 'Not found', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
    '/things/special': { get: { responses: { '204': { description: 'Nothing' } } } },
  },
  components: {
    schemas: { Problem: { type: 'object', required: ['status', 'title'], properties: { status: { type: 'integer' }, title: { type: 'string' } } } },
  },
};

const THING = '00000000-0000-4000-8000-000000000001';

/** Answers whatever the test put in `replies` for a path; serves DOCUMENT at /docs-json. */
const replies = new Map<string, { status: number; type?: string; body?: unknown }>();

describe('ApiClient checks every response against the served OpenAPI document', () => {
  let server: Server;
  let api: ApiClient;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const reply = request.url === DOCUMENT_PATH ? { status: 200, type: 'application/json', body: DOCUMENT } : replies.get(request.url ?? '');
      if (!reply) return void response.writeHead(500).end();
      response.writeHead(reply.status, reply.type ? { 'content-type': reply.type } : {});
      response.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new ApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('lets a response through when the document describes its status and body', async () => {
    replies.set(`/things/${THING}`, { status: 200, type: 'application/json; charset=utf-8', body: { id: THING, count: 2, note: null, mood: null } });
    expect((await api.get(`/things/${THING}`)).body).toEqual({ id: THING, count: 2, note: null, mood: null });
    replies.set('/things/nope', { status: 404, type: 'application/problem+json', body: { status: 404, title: 'Not found' } });
    expect((await api.get('/things/nope')).status).toBe(404);
    // A literal path wins over a template, and a bare 204 has no body to check.
    replies.set('/things/special', { status: 204 });
    expect((await api.get('/things/special')).status).toBe(204);
  });

  it('fails on a status the operation does not declare, naming the ones it does', async () => {
    replies.set('/things/teapot', { status: 418, type: 'application/json', body: { brewing: true } });
    const failure = api.get('/things/teapot');
    await expect(failure).rejects.toThrow(UndocumentedResponseError);
    await expect(failure).rejects.toThrow('GET /things/teapot answered 418: status 418 is not declared for GET /things/{id} (declared: 200, 404)');
  });

  it('fails on a body that does not match the declared schema, naming the field', async () => {
    replies.set('/things/wrong', { status: 200, type: 'application/json', body: { id: 'not-a-uuid', count: 0 } });
    const failure = api.get('/things/wrong');
    await expect(failure).rejects.toThrow(UndocumentedResponseError);
    await expect(failure).rejects.toThrow(
      /does not match the schema of GET \/things\/\{id\} 200 application\/json:\n {2}\/id must match format "uuid"[\s\S]*\/count must be > 0/,
    );
    // The referenced Problem schema is checked too.
    replies.set('/things/bad-problem', { status: 404, type: 'application/problem+json', body: { status: '404' } });
    await expect(api.get('/things/bad-problem')).rejects.toThrow(/must have required property 'title'[\s\S]*\/status must be integer/);
  });

  it('fails on a media type or a path the document does not know', async () => {
    replies.set('/things/html', { status: 200, type: 'text/html', body: '<p>hi</p>' });
    await expect(api.get('/things/html')).rejects.toThrow('content-type text/html is not declared for 200 (declared: application/json)');
    replies.set('/elsewhere', { status: 200, type: 'application/json', body: {} });
    await expect(api.get('/elsewhere')).rejects.toThrow('GET /elsewhere answered 200: the API document has no operation GET for this path');
  });
});
