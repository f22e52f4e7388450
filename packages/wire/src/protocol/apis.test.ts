import { describe, expect, it } from 'vitest';
import { apiList } from './apis';
import type { FieldDef } from './schema';

// The version table clients depend on (what we advertise and where flexible versions start).
// Changing a schema's range must be a deliberate edit here too.
const table: [key: number, min: number, max: number, flexibleFrom: number | null][] = [
  [0, 0, 9, 9],
  [1, 0, 12, 12],
  [2, 0, 7, 6],
  [3, 0, 12, 9],
  [8, 0, 8, 8],
  [9, 0, 8, 6],
  [10, 0, 4, 3],
  [11, 0, 7, 6],
  [12, 0, 4, 4],
  [13, 0, 4, 4],
  [14, 0, 5, 4],
  [15, 0, 5, 5],
  [16, 0, 4, 3],
  [18, 0, 3, 3],
  [19, 0, 7, 5],
  [20, 0, 6, 4],
  [21, 0, 2, 2],
  [22, 0, 4, 2],
  [23, 0, 4, 4],
  [24, 0, 3, 3],
  [25, 0, 3, 3],
  [26, 0, 3, 3],
  [28, 0, 3, 3],
  [32, 0, 4, 4],
  [33, 0, 2, 2],
  [37, 0, 3, 2],
  [42, 0, 2, 2],
  [43, 0, 2, 2],
  [44, 0, 1, 1],
  [45, 0, 0, 0],
  [46, 0, 0, 0],
  [55, 0, 1, 0],
  [60, 0, 1, 0],
  [61, 0, 0, 0],
  [65, 0, 0, 0],
  [66, 0, 0, 0],
];

function walk(fields: readonly FieldDef[], visit: (field: FieldDef) => void): void {
  for (const field of fields) {
    visit(field);
    if (field.kind === 'struct') walk(field.fields, visit);
  }
}

describe('the API registry', () => {
  it('serves exactly the versions of the protocol table', () => {
    const served = apiList.map((api) => [
      api.apiKey,
      api.minVersion,
      api.maxVersion,
      Number.isFinite(api.flexibleFrom) ? api.flexibleFrom : null,
    ]);
    expect(served).toEqual(table);
  });

  it('has no field that no served version can carry, and tags only in flexible versions', () => {
    for (const api of apiList) {
      for (const schema of [api.request, api.response]) {
        walk(schema.fields, (field) => {
          const where = `${api.name}.${field.name}`;
          expect(field.versions.min, where).toBeLessThanOrEqual(api.maxVersion);
          if (field.tag !== null) expect(field.versions.min, where).toBeGreaterThanOrEqual(api.flexibleFrom);
        });
      }
    }
  });

  it('gives tags that are unique within each struct', () => {
    for (const api of apiList) {
      for (const schema of [api.request, api.response]) {
        const check = (fields: readonly FieldDef[]): void => {
          const tags = fields.flatMap((field) => (field.tag === null ? [] : [field.tag]));
          expect(new Set(tags).size, api.name).toBe(tags.length);
          for (const field of fields) if (field.kind === 'struct') check(field.fields);
        };
        check(schema.fields);
      }
    }
  });
});
