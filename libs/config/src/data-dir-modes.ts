/**
 * What the embedded store creates under DATA_DIR is its owner's alone: sessions hold users' conversations and the
 * ingest token sits beside them. A folder or file that already exists keeps the mode its operator chose.
 */
export const OWNER_ONLY_FOLDER_MODE = 0o700;
export const OWNER_ONLY_FILE_MODE = 0o600;
