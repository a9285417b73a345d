import type { SeqGap, SessionProjection, SessionView } from '@app/domain';
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
import { escapeDocumentKeys, KeyEscapeOptions, unescapeDocumentKeys } from './document-keys';

/** What a stored view holds beside the SessionView's own fields. */
interface ViewBookkeeping {
  _id: string;
  version: number;
  deleted: boolean;
  last_event_id: string;
  gaps: SeqGap[];
  /** Every field of VIEW_FIELDS in stored form (instants as `instantKey`): what list filters, sorts and indexes read. */
  fields: Record<ViewFieldName, StoredFieldValue>;
}

/**
 * One session's projection as stored in a generation collection: a native document whose top level is the
 * SessionView's own fields (`session`, `is_running`, `status`, `team`), queryable and indexable with MongoDB's own
 * tools, beside the fold's bookkeeping. Keys MongoDB cannot hold (free-form metadata, model parameters, rules and
 * schemas may use '.' or a leading '$') are escaped by document-keys, the one place that knows how.
 */
export type ViewDocument = ViewBookkeeping & SessionView;

// A SessionView field named like a bookkeeping field would be overwritten by it: this fails to compile then.
const NO_SHARED_KEYS: Extract<keyof SessionView, keyof ViewBookkeeping> extends never ? true : never = true;
void NO_SHARED_KEYS;

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

export function toViewDocument(projection: SessionProjection, options: KeyEscapeOptions = {}): ViewDocument {
  return {
    _id: projection.session_id,
    version: projection.version,
    deleted: projection.deleted,
    last_event_id: projection.last_event_id,
    gaps: projection.gaps,
    fields: storedFields(projection),
    ...escapeDocumentKeys(projection.view, options),
  };
}

export function fromViewDocument(document: ViewDocument): SessionProjection {
  const { _id, version, deleted, last_event_id, gaps, fields: _fields, ...view } = document;
  return {
    session_id: _id,
    version,
    deleted,
    gaps,
    last_event_id,
    view: unescapeDocumentKeys(view),
  };
}
