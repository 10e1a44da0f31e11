import { CART_API } from '@storefront/contracts';
import type { ServeRoute } from '@storefront/service-kit';
import type { CartCheckoutService } from '../services/cart-checkout.service';

/**
 * The cart's internal API (`CART_API` in the contracts), for the order service's checkout. A refused
 * call (CheckoutRejected: unknown checkout, checkout id of another cart) carries its status.
 */
export function cartInternalRoutes(checkouts: CartCheckoutService) {
  return (serve: ServeRoute) => {
    serve(CART_API.claimForCheckout, (ctx, b) => checkouts.claim(ctx, b.userId, b.checkoutId, b.resumeOnly));
    serve(CART_API.completeCheckout, (ctx, b) => checkouts.complete(ctx, b.checkoutId, b.lines).then(() => ({ ok: true as const })));
    serve(CART_API.releaseCheckout, (ctx, b) => checkouts.release(ctx, b.checkoutId).then(() => ({ ok: true as const })));
  };
}
