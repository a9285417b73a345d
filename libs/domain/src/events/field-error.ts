export interface FieldError {
  /** Where the offending value sits, e.g. `data.items[0].usage.input_tokens`; `""` is the whole input. */
  path: string;
  message: string;
}
