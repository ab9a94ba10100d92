import type { z } from 'zod';
import { AppError } from './errors.js';

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v = input;
  for (const key of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A schema's own message, unless it is zod's generic one for a wrong type. */
function problemText(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    if (value === undefined) return 'is required';
    if (issue.message.startsWith('Invalid input')) return `must be ${article(issue.expected)}`;
  }
  return issue.message;
}

/**
 * The one way both services turn a failed zod parse into an error: a 400 AppError naming the first
 * offending field (`field` for a single value), its message listing every problem ("field: text").
 */
export function invalidInput(error: z.ZodError, input: unknown, field?: string): AppError {
  const problems = error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return { field: issue.keys[0] ?? 'body', text: 'unknown field' };
    const name = [field, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
    return { field: name, text: problemText(issue, valueAt(input, issue.path)) };
  });
  const message = problems.map((p) => `${p.field}: ${p.text}`).join('; ');
  return new AppError('invalid', message, { field: problems[0]?.field ?? field ?? 'body' });
}

/** Parses input with a schema, or throws invalidInput's 400. `field` names a single value. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, field?: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw invalidInput(result.error, input, field);
  return result.data;
}
