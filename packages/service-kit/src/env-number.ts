import { z } from 'zod';

/**
 * A whole number read from an environment variable, within `min`..`max`, with the same messages in every
 * service; add `.default(n)` or `.optional()`.
 */
export const wholeNumber = (min: number, max: number) =>
  z.coerce.number().int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
