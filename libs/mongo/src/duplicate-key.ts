/** The server's code for a write refused by a unique index (E11000), which the adapters read as an answer. */
export const DUPLICATE_KEY_CODE = 11000;
