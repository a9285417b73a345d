import Database from 'better-sqlite3';
import Fastify, { FastifyInstance } from 'fastify';
import { MongoClient } from 'mongodb';

/** A bare Fastify server on a free 127.0.0.1 port, and its base URL. */
export interface RawListServer {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The ceilings of the embedded list: `GET /sessions/` answered by a bare Fastify route running the same page and
 * count SQL as the store, on the same file, with no validation, auth, error shapes or ETags. `parse` parses each
 * stored projection and serialises the views again, as straightforward code does; `splice` lets SQLite cut the
 * stored view text out of each row and joins the texts into the body, parsing nothing.
 */
export async function startRawSqliteList(
  databaseFile: string,
  table: string,
  mode: 'parse' | 'splice',
): Promise<RawListServer> {
  const database = new Database(databaseFile, { readonly: true });
  const where = 'user_id = ? AND agent_id = ? AND deleted = 0';
  const column = mode === 'parse' ? 'projection' : "json_extract(projection, '$.view') AS view";
  const page = database.prepare(
    `SELECT ${column} FROM "${table}" WHERE ${where} ORDER BY created_at DESC, session_id LIMIT ?`,
  );
  const count = database.prepare<[string, string], { total: number }>(
    `SELECT COUNT(*) AS total FROM "${table}" WHERE ${where}`,
  );
  const server = Fastify();
  server.get<{ Querystring: { agent_id: string; limit: string } }>('/sessions/', async (request, reply) => {
    const userId = request.headers['x-user-id'] as string;
    const { agent_id: agentId, limit } = request.query;
    const rows = page.all(userId, agentId, Number(limit));
    const { total } = count.get(userId, agentId)!;
    void reply.header('content-type', 'application/json; charset=utf-8');
    if (mode === 'parse') {
      const sessions = (rows as { projection: string }[]).map((row) => JSON.parse(row.projection).view);
      return JSON.stringify({ sessions, total });
    }
    return `{"sessions":[${(rows as { view: string }[]).map((row) => row.view).join(',')}],"total":${total}}`;
  });
  return listen(server, () => database.close());
}

async function listen(server: FastifyInstance, onClose: () => void): Promise<RawListServer> {
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      onClose();
    },
  };
}

/**
 * The ceiling of a MongoDB list: a bare Fastify route sending the driver's page (the SessionView's own fields, in
 * the store's list order and index) and count as JSON, with nothing else on the way.
 */
export async function startRawMongoList(
  uri: string,
  database: string,
  collection: string,
): Promise<RawListServer> {
  const client = new MongoClient(uri);
  const views = client.db(database).collection(collection);
  const server = Fastify();
  server.get<{ Querystring: { agent_id: string; limit: string } }>('/sessions/', async (request, reply) => {
    const filter = {
      'fields.user_id': request.headers['x-user-id'] as string,
      'fields.agent_id': request.query.agent_id,
      'fields.deleted': false,
    };
    const [sessions, total] = await Promise.all([
      views
        .find(filter, { projection: { _id: 0, session: 1, is_running: 1, status: 1, team: 1 } })
        .sort({ 'fields.created_at': -1, _id: 1 })
        .limit(Number(request.query.limit))
        .toArray(),
      views.countDocuments(filter),
    ]);
    void reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({ sessions, total });
  });
  return listen(server, () => void client.close());
}
