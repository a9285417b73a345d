/** Makes a switch over a union exhaustive: adding a member without a case is a compile error. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
