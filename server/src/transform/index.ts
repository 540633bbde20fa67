export { toEcs, toEcsJson, toEcsOrFailure, toEcsOrJson, DEFAULT_MAX_RECORD_BYTES, TRUNCATED_TAG } from './to-ecs.js';
export { DEFAULT_MAX_RECORD_DEPTH, ELASTICSEARCH_DEPTH_LIMIT } from './document-depth.js';
export { documentId } from './document-id.js';
export { openGeoLookup, GeoDatabaseError, type GeoDatabases } from './geo.js';
export { DATASET } from './envelope.js';
export type { EcsDocument, GeoLookup, RecordSource, TransformMeta } from './types.js';
export { JsonWriter } from './json-writer.js';
