import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/** Parses request input with a zod schema; a failure is an InputError (400) naming the field. */
export function parseInput<T>(
  schema: z.ZodType<T>,
  value: unknown,
  where: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? ` ${issue.path.join('.')}` : '';
  throw new InputError(`invalid ${where}${field}: ${issue.message}`);
}
