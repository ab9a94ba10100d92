import { AppError } from '@notes/kit/errors';
import { parseInput } from '@notes/kit/validation';
import { z } from 'zod';

const codeSchema = z.strictObject({
  code: z.string({ error: 'is required' }).min(1, 'is required').max(64, 'must be at most 64 characters'),
});
const enrolSchema = z.strictObject({ restart: z.boolean().optional() });

function object(body: unknown): object {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw AppError.invalid('body', 'must be a JSON object');
  return body;
}

export function parseCode(body: unknown): string {
  return parseInput(codeSchema, object(body)).code;
}

export function parseEnrol(body: unknown): boolean {
  return parseInput(enrolSchema, object(body)).restart ?? false;
}
