import { instantKey, SESSION_SOURCES, SESSION_STATUSES, SessionProjection } from '@app/domain';

// The one table of what the list query can see of a view. Both view stores derive their columns or document
// fields, their filters and their indexes from it, the list endpoint its filter parameters, and a generation's stamp
// its fingerprint. Adding a filterable field is a row here (plus the view field itself, and the endpoint's
// parameter declaration): no store changes.

/**
 * How a store holds a field: text; a boolean; or an instant, held as its `instantKey` so that text order is time
 * order whatever offset the event was stamped with.
 */
export type ViewFieldType = 'text' | 'boolean' | 'instant';

/** The list orders: each is an instant field of the table, newest first, ties by ascending session id. */
export const LIST_ORDERS = ['created', 'updated'] as const;
export type ListOrder = (typeof LIST_ORDERS)[number];
/** The origin service's order: newest created_at first. */
export const DEFAULT_LIST_ORDER: ListOrder = 'created';

/**
 * Which index a field joins. `scope`: an equality every list query has, the leading keys of every list index, in
 * table order. `{ order }`: the sort key of that list order's index, after the scope. `none`: checked on the rows
 * of the index range the scope and the order select.
 */
export type ViewFieldIndex = 'scope' | { order: ListOrder } | 'none';

/** How a list query may narrow on a field: equality, or an exclusive lower bound on an instant. */
export interface ViewFieldFilter {
  /** The list query's (and the HTTP endpoint's) parameter name. */
  param: string;
  match: 'equals' | 'after';
  /** What the API document says of the parameter beyond its type. */
  description?: string;
}

export interface ViewFieldSpec {
  type: ViewFieldType;
  /** Where the value is read: a dotted path into the SessionProjection (`view.` for the SessionView's own fields). */
  from: string;
  nullable?: boolean;
  /** The values a text field can take, when the view declares them. */
  values?: readonly string[];
  index: ViewFieldIndex;
  filter?: ViewFieldFilter;
}

export const VIEW_FIELDS = {
  user_id: { type: 'text', from: 'view.session.user_id', index: 'scope' },
  agent_id: { type: 'text', from: 'view.session.agent_id', index: 'scope' },
  deleted: { type: 'boolean', from: 'deleted', index: 'scope' },
  created_at: { type: 'instant', from: 'view.session.created_at', index: { order: 'created' } },
  updated_at: {
    type: 'instant',
    from: 'view.session.updated_at',
    index: { order: 'updated' },
    filter: {
      param: 'updated_after',
      match: 'after',
      description: 'Only sessions updated after this instant (RFC 3339 with a timezone; exclusive).',
    },
  },
  is_running: {
    type: 'boolean',
    from: 'view.is_running',
    index: 'none',
    filter: { param: 'is_running', match: 'equals' },
  },
  status: {
    type: 'text',
    from: 'view.status',
    values: SESSION_STATUSES,
    index: 'none',
    filter: { param: 'status', match: 'equals' },
  },
  source: {
    type: 'text',
    from: 'view.session.source',
    values: SESSION_SOURCES,
    index: 'none',
    filter: { param: 'source', match: 'equals' },
  },
  team_id: {
    type: 'text',
    from: 'view.session.team_id',
    nullable: true,
    index: 'none',
    filter: { param: 'team_id', match: 'equals' },
  },
} as const satisfies Record<string, ViewFieldSpec>;

export type ViewFieldName = keyof typeof VIEW_FIELDS;
export const VIEW_FIELD_NAMES = Object.keys(VIEW_FIELDS) as ViewFieldName[];

/** A field's value as the stores hold it. */
export type StoredFieldValue = string | boolean | null;

type FieldValue<F> = F extends { values: readonly (infer V)[] }
  ? V
  : F extends { type: 'boolean' }
    ? boolean
    : string;
type FilterOf<F> = F extends { filter: { param: infer P extends string } } ? P : never;

/** The optional filters of a list query, keyed by parameter name, typed from the table. */
export type ListFilters = {
  [N in ViewFieldName as FilterOf<(typeof VIEW_FIELDS)[N]>]?: FieldValue<(typeof VIEW_FIELDS)[N]>;
};
export type ListFilterParam = keyof ListFilters;

/** One condition of a list query, in stored form: every store translates it to its own query language. */
export interface ListCondition {
  field: ViewFieldName;
  match: 'equals' | 'after';
  value: StoredFieldValue;
}

/** A list index: the scope fields, then one order's instant field descending, then the session id ascending. */
export interface ListIndex {
  name: string;
  order: ListOrder;
  /** The scope fields, in table order. */
  scope: ViewFieldName[];
  orderField: ViewFieldName;
}

const ENTRIES = Object.entries(VIEW_FIELDS) as [ViewFieldName, ViewFieldSpec][];
const SCOPE_FIELDS = ENTRIES.filter(([, spec]) => spec.index === 'scope').map(([name]) => name);

export function orderField(order: ListOrder): ViewFieldName {
  const entry = ENTRIES.find(([, spec]) => typeof spec.index === 'object' && spec.index.order === order);
  if (!entry) throw new Error(`no view field orders the list by '${order}'`);
  return entry[0];
}

export const LIST_INDEXES: readonly ListIndex[] = LIST_ORDERS.map((order) => ({
  name: `list_by_${order}`,
  order,
  scope: SCOPE_FIELDS,
  orderField: orderField(order),
}));

export function listIndex(order: ListOrder): ListIndex {
  return LIST_INDEXES.find((index) => index.order === order)!;
}

/** Every field of the table, read from `projection` and put in stored form. */
export function storedFields(projection: SessionProjection): Record<ViewFieldName, StoredFieldValue> {
  const fields = {} as Record<ViewFieldName, StoredFieldValue>;
  for (const [name, spec] of ENTRIES) fields[name] = toStored(spec, readPath(projection, spec.from));
  return fields;
}

/** The value of the field that orders `order`, as the view holds it (the position a keyset cursor names). */
export function orderValue(projection: SessionProjection, order: ListOrder): string {
  return readPath(projection, VIEW_FIELDS[orderField(order)].from) as string;
}

/**
 * The conditions a list query's total counts: the scope (the owner's sessions of one agent, not deleted), then
 * each filter it sets. Filter values are taken as given: the edge validated them.
 */
export function listConditions(
  scope: { userId: string; agentId: string },
  filters: ListFilters = {},
): ListCondition[] {
  const scopeValues: Record<string, StoredFieldValue> = {
    user_id: scope.userId,
    agent_id: scope.agentId,
    deleted: false,
  };
  const conditions: ListCondition[] = SCOPE_FIELDS.map((field) => ({
    field,
    match: 'equals',
    value: scopeValues[field],
  }));
  for (const [field, spec] of ENTRIES) {
    if (!spec.filter) continue;
    const value = (filters as Record<string, StoredFieldValue | undefined>)[spec.filter.param];
    if (value === undefined) continue;
    conditions.push({ field, match: spec.filter.match, value: toStored(spec, value) });
  }
  return conditions;
}

/** The parameters the list query filters on, in table order: what the list endpoint exposes. */
export const LIST_FILTER_PARAMS = ENTRIES.flatMap(([, spec]) => (spec.filter ? [spec.filter.param] : []));

/**
 * The list filters among a request's parameters, by the table's parameter names, so that the endpoint passes a new
 * filterable field on without naming it. The request's own validation has typed each value.
 */
export function listFiltersOf(params: object): ListFilters {
  const source = params as Record<string, unknown>;
  return Object.fromEntries(
    LIST_FILTER_PARAMS.filter((param) => source[param] !== undefined).map((param) => [param, source[param]]),
  ) as ListFilters;
}

function toStored(spec: ViewFieldSpec, value: unknown): StoredFieldValue {
  if (value === null || value === undefined) {
    if (spec.nullable) return null;
    throw new Error(`a view holds no value at ${spec.from}, which the view field table says is never null`);
  }
  return spec.type === 'instant' ? instantKey(value as string) : (value as string | boolean);
}

function readPath(projection: SessionProjection, path: string): unknown {
  let value: unknown = projection;
  for (const key of path.split('.')) value = (value as Record<string, unknown> | null)?.[key];
  return value;
}
