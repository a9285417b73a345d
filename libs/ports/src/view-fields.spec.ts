import {
  LIST_FILTER_PARAMS,
  LIST_INDEXES,
  listConditions,
  listFiltersOf,
  VIEW_FIELD_NAMES,
  VIEW_FIELDS,
} from './view-fields';

describe('VIEW_FIELDS', () => {
  it('gives every list order an index of the scope fields, then its instant field', () => {
    expect(LIST_INDEXES).toEqual([
      {
        name: 'list_by_created',
        order: 'created',
        scope: ['user_id', 'agent_id', 'deleted'],
        orderField: 'created_at',
      },
      {
        name: 'list_by_updated',
        order: 'updated',
        scope: ['user_id', 'agent_id', 'deleted'],
        orderField: 'updated_at',
      },
    ]);
  });

  it("takes exactly the table's filter parameters from a request, and nothing it left unset", () => {
    expect(LIST_FILTER_PARAMS).toEqual(['updated_after', 'is_running', 'status', 'source', 'team_id']);
    expect(
      listFiltersOf({ agent_id: 'a', limit: 5, status: 'idle', is_running: false, source: undefined }),
    ).toEqual({
      status: 'idle',
      is_running: false,
    });
  });

  it('turns a query into conditions in stored form: the scope, then each filter, instants as order keys', () => {
    expect(
      listConditions(
        { userId: 'u', agentId: 'a' },
        { updated_after: '2025-03-03T10:30:00+02:00', team_id: 't', is_running: true },
      ),
    ).toEqual([
      { field: 'user_id', match: 'equals', value: 'u' },
      { field: 'agent_id', match: 'equals', value: 'a' },
      { field: 'deleted', match: 'equals', value: false },
      { field: 'updated_at', match: 'after', value: '2025-03-03T08:30:00.000000000Z' },
      { field: 'is_running', match: 'equals', value: true },
      { field: 'team_id', match: 'equals', value: 't' },
    ]);
  });

  it('reads every field from a path of the projection', () => {
    for (const name of VIEW_FIELD_NAMES) {
      expect(VIEW_FIELDS[name].from).toMatch(/^(view\.)?[a-z_]+(\.[a-z_]+)*$/);
    }
  });
});
