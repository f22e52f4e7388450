import { describe, expect, it } from 'vitest';
import { rewriteClientImports } from './learner-protocol';

describe('rewriteClientImports', () => {
  it('replaces named and namespace imports of the client with the worker global', () => {
    expect(rewriteClientImports("import { rangeAssignor, Kafka as K } from '@kil/client';\nexport default 1;")).toBe(
      'const { rangeAssignor, Kafka : K } = globalThis.__kilClient;\nexport default 1;',
    );
    expect(rewriteClientImports('import * as kil from "@kil/client"')).toBe('const kil = globalThis.__kilClient;');
  });

  it('leaves other imports alone', () => {
    expect(rewriteClientImports("import x from './other';")).toBe("import x from './other';");
  });
});
