/**
 * What `fn` threw, for assertions on a rejection's properties (e.g. the field an input error
 * names); fails when it did not throw.
 */
export function thrownBy(fn: () => unknown): Error & { field?: unknown; status?: unknown; code?: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-Error: ${String(err)}`);
  }
  throw new Error('expected a throw, but it returned');
}
