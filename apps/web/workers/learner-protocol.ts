/** Messages between the page and the Web Worker that runs learner code. */
import type { ClientErrorBody, PropertyFile } from '@kil/client';

export type ToWorker =
  /**
   * Compiled JavaScript (an ES module whose default export is `main(kafka, log)`), and the
   * exercise's property files, applied before `main` runs (Kafka.withProperties).
   */
  | { readonly t: 'run'; readonly code: string; readonly properties?: readonly PropertyFile[] }
  | { readonly t: 'response'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'response'; readonly id: number; readonly ok: false; readonly error: ClientErrorBody };

export type FromWorker =
  | { readonly t: 'request'; readonly id: number; readonly op: string; readonly args: Readonly<Record<string, unknown>> }
  | { readonly t: 'log'; readonly text: string }
  | { readonly t: 'done'; readonly error: string | null };

/**
 * Turn `import { a, b as c } from '@kil/client'` into reads of the client library the
 * worker provides, so the learner's module needs no bare-specifier resolution. Type-only
 * imports are already gone after compilation.
 */
export function rewriteClientImports(code: string): string {
  return code
    .replace(/import\s*\{([^}]*)\}\s*from\s*['"]@kil\/client['"];?/g, (_m, names: string) => `const {${names.replace(/\bas\b/g, ':')}} = globalThis.__kilClient;`)
    .replace(/import\s+\*\s+as\s+(\w+)\s+from\s*['"]@kil\/client['"];?/g, 'const $1 = globalThis.__kilClient;');
}
