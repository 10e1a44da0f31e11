import { CART_ROUTES } from '@storefront/service-kit';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { CheckoutRejected, type CartCheckoutService } from '../services/cart-checkout.service';

// Bounds follow the columns: cart.user_id varchar(255), checkout ids varchar(64).
const checkoutId = z.string().min(1).max(64);
const claimBody = z.object({ userId: z.string().min(1).max(255), checkoutId });
const completeBody = z.object({
  checkoutId,
  // A cart holds at most 1,000 lines (CART_MAX_LINES' ceiling), so no order lists more.
  lines: z.array(z.object({ variantId: z.string().min(1).max(64), quantity: z.number().int().min(1) })).max(1_000),
});
const releaseBody = z.object({ checkoutId });

/** Parses the body or answers 400 (nothing is touched); undefined when it answered. */
function parse<T>(schema: z.ZodType<T>, req: Request, res: Response): T | undefined {
  const body = schema.safeParse(req.body);
  if (body.success) return body.data;
  const issue = body.error.issues[0];
  res.status(400).json({ error: issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message });
  return undefined;
}

/** Answers a refused checkout call with its status; anything else goes to the kit's error handler. */
async function answer(res: Response, work: () => Promise<unknown>): Promise<void> {
  try {
    res.json(await work());
  } catch (error) {
    if (!(error instanceof CheckoutRejected)) throw error;
    res.status(error.status).json({ error: error.message });
  }
}

/** The cart's internal API, for the order service's checkout (see CartClient in the service kit). */
export function cartInternalRoutes(checkouts: CartCheckoutService) {
  return (router: Router) => {
    router.post(CART_ROUTES.claimForCheckout, async (req, res) => {
      const body = parse(claimBody, req, res);
      if (body) await answer(res, () => checkouts.claim(body.userId, body.checkoutId));
    });
    router.post(CART_ROUTES.completeCheckout, async (req, res) => {
      const body = parse(completeBody, req, res);
      if (body) await answer(res, () => checkouts.complete(body.checkoutId, body.lines).then(() => ({ ok: true })));
    });
    router.post(CART_ROUTES.releaseCheckout, async (req, res) => {
      const body = parse(releaseBody, req, res);
      if (body) await answer(res, () => checkouts.release(body.checkoutId).then(() => ({ ok: true })));
    });
  };
}
