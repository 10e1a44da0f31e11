import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { sendHttpError } from './http-errors';

/**
 * An internal route: the JSON body is checked against `schema` (a bad one answers 400 and touches
 * nothing), then `handle`'s result is the JSON answer. An error with an HTTP `status` below 500 (a
 * refused call) answers that status with its message, through the subgraph server's error handler.
 */
export function validated<T>(schema: z.ZodType<T>, handle: (body: T) => Promise<unknown>): RequestHandler {
  return async (req, res) => {
    const body = schema.safeParse(req.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      sendHttpError(res, 400, 'BAD_REQUEST', issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
      return;
    }
    res.json(await handle(body.data));
  };
}
