import { AppConfig, ConfigModule, loadConfig } from '@app/config';
import { Controller, Get, Module, NotFoundException, Param, Query } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Authenticated, CallerIdentity } from './auth/caller-identity';
import { AuthModule } from './auth/auth.module';
import { Caller } from './auth/caller-authenticator';
import { configureHttpApp, createFastifyAdapter } from './bootstrap-http-app';
import { ApiError, ApiErrorCode } from './errors/api-error';
import { HealthModule } from './health/health.module';
import { ReadinessChecks } from './health/readiness-checks';
import { MetricsModule } from './metrics/metrics.module';
import {
  OptionalBoolean,
  OptionalEnum,
  OptionalInteger,
  OptionalZonedDateTime,
  RequiredText,
} from './validation/input-rules';

class ProbeParams {
  @RequiredText(8) name!: string;
  @OptionalInteger({ min: 1, max: 200 }) limit: number = 50;
  @OptionalBoolean() flag?: boolean;
  @OptionalEnum(['red', 'green', 'blue']) colour?: string;
  @OptionalZonedDateTime() since?: string;
}

class ProbeId {
  @RequiredText(8) probe_id!: string;
}

@Controller('probes')
class ProbeController {
  @Get()
  list(@Query() params: ProbeParams): ProbeParams {
    return params;
  }

  @Get('fail/:kind')
  fail(@Param('kind') kind: string): never {
    if (kind === 'gone') throw new ApiError(ApiErrorCode.NotFound, 'Probe not found');
    if (kind === 'nest') throw new NotFoundException('Nothing here');
    throw new Error('database password is hunter2');
  }

  @Get('mine')
  @Authenticated()
  mine(@CallerIdentity() caller: Caller): Caller {
    return caller;
  }

  @Get(':probe_id')
  one(@Param() params: ProbeId): ProbeId {
    return params;
  }
}

@Module({ imports: [AuthModule, HealthModule, MetricsModule], controllers: [ProbeController] })
class ProbeModule {}

describe(configureHttpApp.name, () => {
  let app: NestFastifyApplication;
  let ready = true;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(loadConfig({})), ProbeModule],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(createFastifyAdapter(), { logger: false });
    configureHttpApp(app, { openApi: { title: 'Probe', description: 'probe', version: '1' } });
    app.get(ReadinessChecks).register('probe-store', async () => {
      if (!ready) throw new Error('connection refused');
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  describe('request validation', () => {
    it('answers a missing required parameter with FastAPI 422 body', async () => {
      const response = await get('/probes');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [{ type: 'missing', loc: ['query', 'name'], msg: 'Field required', input: null }],
      });
    });

    it('reports every failing parameter once, with the bound it broke and the input as sent', async () => {
      const response = await get('/probes?name=abcdefghij&limit=500&flag=maybe&colour=pink&since=yesterday');
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        {
          type: 'string_too_long',
          loc: ['query', 'name'],
          msg: 'String should have at most 8 characters',
          input: 'abcdefghij',
          ctx: { max_length: 8 },
        },
        {
          type: 'less_than_equal',
          loc: ['query', 'limit'],
          msg: 'Input should be less than or equal to 200',
          input: '500',
          ctx: { le: 200 },
        },
        {
          type: 'bool_parsing',
          loc: ['query', 'flag'],
          msg: 'Input should be a valid boolean, unable to interpret input',
          input: 'maybe',
        },
        {
          type: 'enum',
          loc: ['query', 'colour'],
          msg: "Input should be 'red', 'green' or 'blue'",
          input: 'pink',
          ctx: { expected: "'red', 'green' or 'blue'" },
        },
        {
          type: 'datetime_parsing',
          loc: ['query', 'since'],
          msg: 'Input should be a valid datetime',
          input: 'yesterday',
        },
      ]);
    });

    it.each([
      ['limit=ten', 'int_parsing', 'ten'],
      ['limit=-1', 'greater_than_equal', '-1'],
      ['limit=0', 'greater_than_equal', '0'],
      ['limit=2.5', 'int_parsing', '2.5'],
      ['limit=', 'int_parsing', ''],
      ['limit=99999999999999999999', 'less_than_equal', '99999999999999999999'],
    ])('refuses %s as %s', async (query, type, input) => {
      const response = await get(`/probes?name=a&${query}`);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        expect.objectContaining({ type, loc: ['query', 'limit'], input }),
      ]);
    });

    it('refuses an empty required value as too short', async () => {
      const response = await get('/probes?name=');
      expect(response.json().detail).toEqual([
        {
          type: 'string_too_short',
          loc: ['query', 'name'],
          msg: 'String should have at least 1 character',
          input: '',
          ctx: { min_length: 1 },
        },
      ]);
    });

    it('refuses a repeated scalar parameter rather than picking one of its values', async () => {
      const response = await get('/probes?name=a&name=b&limit=1&limit=2');
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        {
          type: 'string_type',
          loc: ['query', 'name'],
          msg: 'Input should be a valid string',
          input: ['a', 'b'],
        },
        {
          type: 'int_type',
          loc: ['query', 'limit'],
          msg: 'Input should be a valid integer',
          input: ['1', '2'],
        },
      ]);
    });

    it('never turns bracketed keys into operators: `name[$ne]` is just an unknown parameter', async () => {
      const response = await get('/probes?name[$ne]=x&limit[$gt]=1');
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        { type: 'missing', loc: ['query', 'name'], msg: 'Field required', input: null },
      ]);
    });

    it('converts valid input and applies defaults, dropping undeclared parameters', async () => {
      const response = await get(
        '/probes?name=a&flag=YES&since=2025-03-03T09:00:00%2B02:00&extra=1&__proto__=x',
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        name: 'a',
        limit: 50,
        flag: true,
        since: '2025-03-03T09:00:00+02:00',
      });
    });

    it('requires a timezone on date-times', async () => {
      const response = await get('/probes?name=a&since=2025-03-03T09:00:00');
      expect(response.json().detail).toEqual([
        expect.objectContaining({ type: 'timezone_aware', msg: 'Input should have timezone info' }),
      ]);
    });

    it('names path parameters with loc "path", even when longer than the router would otherwise match', async () => {
      const response = await get(`/probes/${'x'.repeat(300)}`);
      expect(response.statusCode).toBe(422);
      expect(response.json().detail).toEqual([
        expect.objectContaining({ type: 'string_too_long', loc: ['path', 'probe_id'] }),
      ]);
    });
  });

  describe('errors', () => {
    it('answers an ApiError with its status and {"detail": message}', async () => {
      const response = await get('/probes/fail/gone');
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Probe not found' });
    });

    it("answers Nest's exceptions and unknown routes in the same shape", async () => {
      expect((await get('/probes/fail/nest')).json()).toEqual({ detail: 'Nothing here' });
      const unknown = await get('/nowhere');
      expect(unknown.statusCode).toBe(404);
      expect(Object.keys(unknown.json())).toEqual(['detail']);
    });

    it('answers URLs the router refuses in the same shape', async () => {
      const badEncoding = await get('/probes/%E0%A4%A');
      expect(badEncoding.statusCode).toBe(400);
      expect(Object.keys(badEncoding.json())).toEqual(['detail']);
      const tooLong = await get(`/probes/${'x'.repeat(3000)}`);
      expect(tooLong.statusCode).toBe(414);
      expect(tooLong.json().detail).toMatch(/exceeding the max param length/);
    });

    it('hides the message of an unexpected error', async () => {
      const response = await get('/probes/fail/crash');
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ detail: 'Internal Server Error' });
    });

    it('answers a missing identity header with a 422 naming the header', async () => {
      const response = await get('/probes/mine');
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual({
        detail: [{ type: 'missing', loc: ['header', 'x-user-id'], msg: 'Field required', input: null }],
      });
      expect((await get('/probes/mine', { 'x-user-id': 'user-7' })).json()).toEqual({ userId: 'user-7' });
    });
  });

  describe('ETag', () => {
    it('tags a GET response with a strong hash of its body and answers 304 when the client holds it', async () => {
      const first = await get('/probes?name=a');
      const tag = first.headers.etag as string;
      expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      const again = await get('/probes?name=a', { 'if-none-match': tag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const weakForm = await get('/probes?name=a', { 'if-none-match': `"other", W/${tag}` });
      expect(weakForm.statusCode).toBe(304);
      const changed = await get('/probes?name=b', { 'if-none-match': tag });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(tag);
    });

    it('leaves errors untagged', async () => {
      expect((await get('/probes')).headers.etag).toBeUndefined();
    });
  });

  describe('health', () => {
    it('is live without asking dependencies', async () => {
      ready = false;
      const response = await get('/health');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('is ready only when every registered check passes', async () => {
      ready = true;
      const up = await get('/health/ready');
      expect(up.statusCode).toBe(200);
      expect(up.json()).toEqual({ status: 'ready', checks: { 'probe-store': 'ok' } });
      ready = false;
      const down = await get('/health/ready');
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({
        status: 'not_ready',
        checks: { 'probe-store': 'failed: connection refused' },
      });
    });
  });

  describe('metrics', () => {
    it('counts requests by route template and status code', async () => {
      await get('/probes/abc');
      await get('/probes/fail/gone');
      const text = (await get('/metrics')).body;
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/probes\/:probe_id",status_code="200"\} [1-9]/,
      );
      expect(text).toMatch(
        /http_requests_total\{method="GET",route="\/probes\/fail\/:kind",status_code="404"\} [1-9]/,
      );
      expect(text).toContain('http_request_duration_seconds_bucket{le="0.001",method="GET"');
      expect(text).toContain('process_cpu_user_seconds_total');
    });
  });

  describe('OpenAPI', () => {
    it('serves the document at /openapi.json and Swagger UI at /docs', async () => {
      const document = (await get('/openapi.json')).json();
      expect(document.info.title).toBe('Probe');
      expect(Object.keys(document.paths)).toContain('/probes/mine');
      const page = await get('/docs');
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('/docs/swagger-ui-bundle.js');
      const bundle = await get('/docs/swagger-ui-bundle.js');
      expect(bundle.statusCode).toBe(200);
      expect(bundle.body).toContain('SwaggerUIBundle');
    });
  });

  it('reads its configuration from AppConfig', () => {
    expect(app.get(AppConfig).http.host).toBe('127.0.0.1');
  });
});
