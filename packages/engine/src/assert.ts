/**
 * Assertions that stay on in production. An invariant that does not hold means the
 * simulation is wrong, so we stop loudly instead of teaching something false.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, why: string): asserts condition {
  if (!condition) throw new AssertionError(why);
}

export function unreachable(value: never, why = 'unexpected variant'): never {
  throw new AssertionError(`${why}: ${JSON.stringify(value)}`);
}
