import { AppConfig } from '@app/config';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { finishDocument } from './openapi-document';

export interface OpenApiInfo {
  title: string;
  description: string;
  version: string;
}

export const OPENAPI_JSON_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

/**
 * Serves the OpenAPI document at /openapi.json (FastAPI's path) and Swagger UI at /docs. Swagger UI's files come
 * from swagger-ui-dist, which @nestjs/swagger depends on; serving them through SwaggerModule's own UI would need
 * the @fastify/static plugin for four files.
 */
export function setupOpenApi(app: NestFastifyApplication, info: OpenApiInfo): void {
  const config = new DocumentBuilder()
    .setTitle(info.title)
    .setDescription(info.description)
    .setVersion(info.version)
    .build();
  const authMode = app.get(AppConfig).auth.mode;
  SwaggerModule.setup(
    DOCS_PATH,
    app,
    () => finishDocument(SwaggerModule.createDocument(app, config), authMode),
    {
      ui: false,
      raw: ['json'],
      jsonDocumentUrl: OPENAPI_JSON_PATH,
    },
  );
  serveSwaggerUi(app, info.title);
}

const SWAGGER_UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

function serveSwaggerUi(app: NestFastifyApplication, title: string): void {
  const fastify = app.getHttpAdapter().getInstance();
  const assetsDir = dirname(
    require.resolve('swagger-ui-dist/package.json', { paths: [require.resolve('@nestjs/swagger')] }),
  );
  const page = swaggerUiPage(title);
  fastify.get(DOCS_PATH, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  fastify.get(`${DOCS_PATH}/swagger-ui-init.js`, async (_request, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .send(`window.ui = SwaggerUIBundle({ url: '${OPENAPI_JSON_PATH}', dom_id: '#swagger-ui' });\n`),
  );
  for (const [file, type] of Object.entries(SWAGGER_UI_ASSETS)) {
    let content: Promise<Buffer> | undefined;
    fastify.get(`${DOCS_PATH}/${file}`, async (_request, reply) => {
      content ??= readFile(join(assetsDir, file));
      return reply
        .type(type)
        .header('Cache-Control', 'public, max-age=86400')
        .send(await content);
    });
  }
}

function swaggerUiPage(title: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title.replace(/[<>&"]/g, '')}</title>
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/swagger-ui-init.js"></script>
  </body>
</html>
`;
}
