import { CART_API } from '@storefront/contracts';
import { serveRoute } from '@storefront/service-kit';
import type { Router } from 'express';
import type { CartCheckoutService } from '../services/cart-checkout.service';

/**
 * The cart's internal API (`CART_API` in the contracts), for the order service's checkout. A refused
 * call (CheckoutRejected: unknown checkout, checkout id of another cart) carries its status.
 */
export function cartInternalRoutes(checkouts: CartCheckoutService) {
  return (router: Router) => {
    serveRoute(router, CART_API.claimForCheckout, (b) => checkouts.claim(b.userId, b.checkoutId, b.resumeOnly));
    serveRoute(router, CART_API.completeCheckout, (b) => checkouts.complete(b.checkoutId, b.lines).then(() => ({ ok: true as const })));
    serveRoute(router, CART_API.releaseCheckout, (b) => checkouts.release(b.checkoutId).then(() => ({ ok: true as const })));
  };
}
