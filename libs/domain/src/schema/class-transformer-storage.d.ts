// class-transformer keeps its @Type metadata in a module it ships without a declaration beside it; the types it
// does ship describe that same module.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
