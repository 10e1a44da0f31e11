import { CART_ROUTES, USER_ID, validated } from '@storefront/service-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { CartCheckoutService } from '../services/cart-checkout.service';

// Bounds follow the columns: cart.user_id varchar(255), checkout ids varchar(64).
const checkoutId = z.string().min(1).max(64);
const claimBody = z.object({ userId: z.string().regex(USER_ID), checkoutId, resumeOnly: z.boolean().default(false) });
const completeBody = z.object({
  checkoutId,
  // A cart holds at most 1,000 lines (CART_MAX_LINES' ceiling), so no order lists more.
  lines: z.array(z.object({ variantId: z.string().min(1).max(64), quantity: z.number().int().min(1) })).max(1_000),
});
const releaseBody = z.object({ checkoutId });

/**
 * The cart's internal API, for the order service's checkout (see CartClient in the service kit). A
 * refused call (CheckoutRejected: unknown checkout, checkout id of another cart) carries its status.
 */
export function cartInternalRoutes(checkouts: CartCheckoutService) {
  return (router: Router) => {
    router.post(CART_ROUTES.claimForCheckout, validated(claimBody, (b) => checkouts.claim(b.userId, b.checkoutId, b.resumeOnly)));
    router.post(
      CART_ROUTES.completeCheckout,
      validated(completeBody, (b) => checkouts.complete(b.checkoutId, b.lines).then(() => ({ ok: true }))),
    );
    router.post(CART_ROUTES.releaseCheckout, validated(releaseBody, (b) => checkouts.release(b.checkoutId).then(() => ({ ok: true }))));
  };
}
