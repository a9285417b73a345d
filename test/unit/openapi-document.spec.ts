import { loadConfig } from '@app/config';
import { FRESHNESS_HEADERS, LOG_POSITION_HEADER } from '@app/freshness';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreModule } from '../../apps/store/src/store.module';
import { startHttpTestApp } from '../support/http-test-app';

type Operation = {
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: unknown }>; headers?: Record<string, unknown> }
  >;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

const READ_ROUTES = [
  ['/sessions/', 'get'],
  ['/sessions/{session_id}', 'get'],
  ['/sessions/{session_id}/events', 'get'],
  ['/sessions/{session_id}/state', 'get'],
  ['/sessions/changes', 'get'],
] as const;

describe('the OpenAPI document of the embedded store', () => {
  let dataDir: string;

  async function documentFor(env: Record<string, string>): Promise<Document> {
    const app: NestFastifyApplication = await startHttpTestApp([
      StoreModule.forRoot(loadConfig({ DATA_DIR: dataDir, ...env })),
    ]);
    try {
      return (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    } finally {
      await app.close();
    }
  }

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'openapi-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('in header mode requires x-user-id on every read and declares no bearer scheme for them', async () => {
    const document = await documentFor({ AUTH_MODE: 'header' });
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/sessions/');
    expect(Object.keys(document.paths)).not.toContain('/sessions');
    for (const [path, method] of READ_ROUTES) {
      const operation = document.paths[path][method];
      expect(operation.parameters?.[0]).toEqual(
        expect.objectContaining({ name: 'x-user-id', in: 'header', required: true }),
      );
      expect(operation.security).toBeUndefined();
    }
    expect(Object.keys(document.components.securitySchemes)).toEqual(['ingestToken']);
  });

  it('in JWT mode secures every read with the bearer scheme and names no x-user-id', async () => {
    const document = await documentFor({
      AUTH_MODE: 'jwt',
      JWT_SECRET: 'a-secret-of-at-least-thirty-two-characters',
    });
    for (const [path, method] of READ_ROUTES) {
      const operation = document.paths[path][method];
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect((operation.parameters ?? []).map((parameter) => parameter.name)).not.toContain('x-user-id');
    }
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['bearer', 'ingestToken']);
  });

  it('documents the 200 body of every read and the 422 of every route', async () => {
    const document = await documentFor({});
    for (const [path, method] of READ_ROUTES) {
      const { responses } = document.paths[path][method];
      expect(Object.keys(responses['200'].content ?? {})).toEqual([
        path === '/sessions/changes' ? 'text/event-stream' : 'application/json',
      ]);
      expect(responses['422'].content?.['application/json'].schema).toEqual({
        $ref: '#/components/schemas/HTTPValidationError',
      });
    }
    // An issue's input is whatever was sent: null when missing, a string from the query, any JSON in a body.
    const issue = document.components.schemas.ValidationError as { properties: Record<string, object> };
    expect(issue.properties.input).toEqual(
      expect.objectContaining({
        anyOf: ['string', 'number', 'boolean', 'array', 'object', 'null'].map((type) => ({ type })),
      }),
    );
    expect(issue.properties.input).not.toHaveProperty('type');
  });

  it('states every limit the parameters enforce, from the same declarations as the validation', async () => {
    const document = await documentFor({});
    const parameter = (path: string, name: string) =>
      document.paths[path].get.parameters!.find((candidate) => candidate.name === name)!;
    expect(parameter('/sessions/{session_id}/events', 'after_seq').schema).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      default: 0,
    });
    expect(parameter('/sessions/', 'limit').schema).toEqual({ type: 'integer', minimum: 1, maximum: 200 });
    expect(parameter('/sessions/', 'order').schema).toEqual({
      type: 'string',
      enum: ['created', 'updated'],
      default: 'created',
    });
    expect(parameter('/sessions/', 'agent_id')).toEqual(
      expect.objectContaining({ in: 'query', required: true, schema: { type: 'string' } }),
    );
    expect(parameter('/sessions/changes', 'last-event-id')).toEqual(
      expect.objectContaining({ in: 'header', required: false }),
    );
    expect(parameter('/sessions/{session_id}', 'session_id')).toEqual(
      expect.objectContaining({
        in: 'path',
        required: true,
        schema: { type: 'string', minLength: 1, maxLength: 256 },
      }),
    );
  });

  it('documents the ingest body (envelope and every event type), its token and its 401, 413 and 422', async () => {
    const document = await documentFor({});
    const ingest = document.paths['/sessions/events'].post;
    expect(ingest.security).toEqual([{ ingestToken: [] }]);
    expect(Object.keys(ingest.responses).sort()).toEqual(['202', '401', '413', '422', '429', '431']);
    expect(JSON.stringify(ingest.requestBody)).toContain('#/components/schemas/SessionEvent');
    const schemas = document.components.schemas;
    expect(schemas).toHaveProperty('SessionEvent');
    expect(schemas).toHaveProperty('SessionEventEnvelope');
    expect(schemas).toHaveProperty('SessionCreatedData');
    expect(schemas).toHaveProperty('SessionDeletedEvent');
    // Every reference in the document names a schema it holds.
    const refs = JSON.stringify(document).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(schemas).toHaveProperty(JSON.parse(ref).split('/').pop());
  });

  it('documents positions: the ingest acknowledgement, min_position and max_wait_ms on every read, its freshness headers and its 503', async () => {
    const document = await documentFor({});
    const accepted = document.paths['/sessions/events'].post.responses['202'];
    expect(Object.keys(accepted.headers ?? {})).toEqual([LOG_POSITION_HEADER]);
    expect(JSON.stringify(accepted.content)).toContain('"position"');
    for (const [path, method] of READ_ROUTES) {
      const operation = document.paths[path][method];
      const parameters = (operation.parameters ?? []).map(({ name, in: location }) => `${location}:${name}`);
      expect(parameters).toEqual(
        expect.arrayContaining(['query:min_position', 'query:max_wait_ms', 'header:min-position']),
      );
      const minPosition = operation.parameters!.find(({ name }) => name === 'min_position')!;
      expect(new RegExp(String(minPosition.schema!.pattern)).test('0:12,5:3')).toBe(true);
      expect(Object.keys(operation.responses['200'].headers ?? {})).toEqual(Object.values(FRESHNESS_HEADERS));
      expect(Object.keys(operation.responses['503'].headers ?? {})).toEqual([
        'Retry-After',
        ...Object.values(FRESHNESS_HEADERS),
      ]);
    }
  });
});
