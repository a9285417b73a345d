import { SessionProjection } from '@app/domain';
import { realisticProjection } from '../../../test/factories/session-events';
import { LIST_ORDERS, listPaging, VIEW_FIELD_NAMES } from '@app/ports';
import { BSON } from 'mongodb';
import {
  fromViewDocument,
  listFilter,
  listSort,
  toViewDocument,
  ViewDocument,
  VIEW_INDEXES,
} from './view-document';

/** A projection whose free-form objects hold what FerretDB v1 refuses in a stored document. */
function projectionWithAwkwardKeys(): SessionProjection {
  const projection = realisticProjection('awkward');
  const { session } = projection.view;
  session.config.chat_model_config!.parameters = {
    'top.p': 0.9,
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    matrix: [[1, 2], [[3]], []],
    '': 'an empty key',
  };
  session.state.permission_context.allow_rules = { 'Bash(git *)': { 'a.b': { $ref: '#/x' } } };
  session.state.context[0].metadata = { 'trace.id': 'abc', $meta: [['nested', ['deeper']]] };
  return projection;
}

/** Every key path that has a '.' or a leading '$', or an array directly inside an array. */
function ferretDbRefusals(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) =>
      Array.isArray(item) ? [`${path}[${index}]`] : ferretDbRefusals(item, `${path}[${index}]`),
    );
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.includes('.') || key.startsWith('$') ? [`${path}.${key}`] : []),
    ...ferretDbRefusals(item, `${path}.${key}`),
  ]);
}

describe('ViewDocument', () => {
  it.each([false, true])(
    'round-trips a view with dotted and dollar keys and arrays of arrays exactly (nested arrays wrapped: %s)',
    (wrapNestedArrays) => {
      const projection = projectionWithAwkwardKeys();
      expect(ferretDbRefusals(projection.view).length).toBeGreaterThan(0);
      // Through BSON and back, as the driver stores and reads it.
      const stored = BSON.deserialize(
        BSON.serialize(toViewDocument(projection, { wrapNestedArrays })),
      ) as ViewDocument;
      expect(fromViewDocument(stored)).toEqual(projection);
    },
  );

  it('holds no key or value shape that FerretDB v1 refuses once nested arrays are wrapped', () => {
    expect(ferretDbRefusals(toViewDocument(projectionWithAwkwardKeys(), { wrapNestedArrays: true }))).toEqual(
      [],
    );
  });

  it("holds the SessionView's own fields at the top level, as native values a query can address", () => {
    const projection = realisticProjection('native');
    const document = toViewDocument(projection);
    const { session, is_running, status, team } = projection.view;
    expect(document).toMatchObject({ session, is_running, status, team });
    expect(Object.keys(document)).toEqual([
      '_id',
      'version',
      'deleted',
      'last_event_id',
      'gaps',
      'fields',
      ...Object.keys(projection.view),
    ]);
  });

  it('copies every field of the view field table beside the view, instants as ordering keys', () => {
    const projection = realisticProjection('copied');
    const { session } = projection.view;
    expect(toViewDocument(projection)).toMatchObject({
      _id: 'copied',
      version: projection.version,
      deleted: false,
      fields: {
        user_id: session.user_id,
        agent_id: session.agent_id,
        deleted: false,
        is_running: projection.view.is_running,
        status: projection.view.status,
        source: session.source,
        team_id: session.team_id,
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/),
        updated_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/),
      },
    });
    expect(Object.keys(toViewDocument(projection).fields).sort()).toEqual([...VIEW_FIELD_NAMES].sort());
  });

  // MongoDB's planner serves a query from an index without a sort stage when the index has the equality fields
  // first and then the sort fields in the same directions; the range on the order field rides on the sort field.
  it.each(LIST_ORDERS)(
    "has an index for the '%s' order whose keys are the list filter's equality fields followed by the order",
    (order) => {
      const query = { userId: 'u', agentId: 'a', limit: 10, offset: 0, order };
      const paging = listPaging(query);
      const equalityFields = Object.keys(listFilter(query));
      const index = VIEW_INDEXES.find(({ name }) => name === `list_by_${order}`)!;
      expect(Object.entries(index.key)).toEqual([
        ...equalityFields.map((field) => [field, 1]),
        ...Object.entries(listSort(paging)),
      ]);
    },
  );
});
