import { z } from 'zod';

/** Colours are open-ended (no enum), but kept clean so filtering by "Red" finds "red". */
export const color = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z][a-z -]*$/, 'must be letters, spaces or hyphens');
