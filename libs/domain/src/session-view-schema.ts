import { JsonSchema, toJsonSchemas } from './schema/json-schema';
import { SessionView } from './session-view';

/** `SessionView` and every shape it nests, from the classes in ./session-view (see ./schema/json-schema). */
export function sessionViewSchemas(): Record<string, JsonSchema> {
  return toJsonSchemas([SessionView]);
}
