/** Whether the index template maps a document field explicitly (indexing it adds no dynamic field). */
import { templateFields } from '../../server/src/sinks/index-template.js';

/** A field is covered by an explicit mapping, or lies inside a flattened field or a geo_point. */
export function isMapped(field: string): boolean {
  const fields = templateFields();
  if (fields[field]) return true;
  const parts = field.split('.');
  for (let i = parts.length - 1; i > 0; i--) {
    const parent = fields[parts.slice(0, i).join('.')]?.type;
    if (parent === 'flattened' || parent === 'geo_point') return true;
  }
  return false;
}
