import type { SeqGap, SessionProjection } from '@app/domain';
import {
  LIST_INDEXES,
  listConditions,
  ListPaging,
  SessionListQuery,
  StoredFieldValue,
  storedFields,
  ViewFieldName,
} from '@app/ports';
import type { Filter, IndexDescription, Sort } from 'mongodb';

/**
 * One session's projection as stored in a generation collection.
 *
 * The view is kept as a JSON string, not as a nested document: its free-form objects (metadata, model
 * parameters, permission rules, summary schemas) may hold keys with '.' or a leading '$' and arrays of arrays,
 * which FerretDB v1 refuses and which would otherwise need an escaping scheme that must never collide. Measured
 * with the driver's BSON on views of 10, 200 and 2000 context items, the string is also 6-20 % smaller than
 * the same view as nested BSON (25.5 kB vs 31.8 kB, 1.70 MB vs 1.81 MB), encodes 9-70 % faster and decodes
 * as fast or faster (8.5 ms vs 11.5 ms at 1.7 MB), and its stored size is the projection's JSON size, the very
 * quantity the projector checks against `maxDocumentBytes`. Queries never look inside the view: every field of the
 * view field table is copied beside it.
 */
export interface ViewDocument {
  _id: string;
  version: number;
  deleted: boolean;
  last_event_id: string;
  gaps: SeqGap[];
  /** Every field of VIEW_FIELDS in stored form (instants as `instantKey`): what list filters, sorts and indexes read. */
  fields: Record<ViewFieldName, StoredFieldValue>;
  /** The writeMany call that wrote this version (see newWriteToken). */
  write_token: string;
  view: string;
}

/** The path of a table field in a stored document. */
export function fieldPath(name: ViewFieldName): `fields.${ViewFieldName}` {
  return `fields.${name}`;
}

/**
 * One index per list order, derived from the table: equality on the scope fields, then newest first, then the id,
 * so that a list query and its count walk one contiguous index range.
 */
export const VIEW_INDEXES: IndexDescription[] = LIST_INDEXES.map((index) => ({
  name: index.name,
  key: {
    ...Object.fromEntries(index.scope.map((name) => [fieldPath(name), 1])),
    [fieldPath(index.orderField)]: -1,
    _id: 1,
  },
}));

export function listSort(paging: ListPaging): Sort {
  return { [fieldPath(paging.orderField)]: -1, _id: 1 };
}

/**
 * The sessions a list query matches, which its count counts. Equality on the scope walks one range of the order's
 * list index; the optional filters are checked on the documents of that range.
 */
export function listFilter(query: SessionListQuery): Filter<ViewDocument> {
  const filter: Record<string, unknown> = {};
  for (const { field, match, value } of listConditions(query, query.filters)) {
    filter[fieldPath(field)] = match === 'after' ? { $gt: value } : value;
  }
  return filter as Filter<ViewDocument>;
}

/**
 * The page's filter: the list filter narrowed to the sessions after the query's position in its order. The bound
 * on the order field keeps the index range tight; the $or only decides the ties at the position's own instant.
 */
export function listPageFilter(query: SessionListQuery, paging: ListPaging): Filter<ViewDocument> {
  const filter = listFilter(query);
  if (paging.after === undefined) return filter;
  const path = fieldPath(paging.orderField);
  const afterPosition = {
    [path]: { $lte: paging.after.key },
    $or: [{ [path]: { $lt: paging.after.key } }, { _id: { $gt: paging.after.sessionId } }],
  } as Filter<ViewDocument>;
  return { $and: [filter, afterPosition] };
}

export function toViewDocument(projection: SessionProjection, writeToken: string): ViewDocument {
  return {
    _id: projection.session_id,
    version: projection.version,
    deleted: projection.deleted,
    last_event_id: projection.last_event_id,
    gaps: projection.gaps,
    fields: storedFields(projection),
    write_token: writeToken,
    view: JSON.stringify(projection.view),
  };
}

export function fromViewDocument(document: ViewDocument): SessionProjection {
  return {
    session_id: document._id,
    version: document.version,
    deleted: document.deleted,
    gaps: document.gaps,
    last_event_id: document.last_event_id,
    view: JSON.parse(document.view),
  };
}
