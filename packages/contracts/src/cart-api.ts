import { InternalClient, internalRoute, type CallerContext, MAX_CART_LINES, USER_ID, type InternalClientOptions } from '@storefront/service-kit';
import { z } from 'zod';
import { internalId } from './shop';

/**
 * The cart's internal API, for the order service's checkout saga. Served by the cart's internal
 * routes; called through `CartClient`. Every call is idempotent per checkout id.
 */

// cart.user_id is varchar(255) (USER_ID); checkout and variant ids are internal ids.
const checkoutId = internalId;

const checkoutLine = z.object({ variantId: internalId, quantity: z.number().int().min(1) });
export type CheckoutLine = z.infer<typeof checkoutLine>;

const claimResult = z.discriminatedUnion('state', [
  /** The cart is held for this checkout; `lines` are its lines now (may be empty). */
  z.object({ state: z.literal('claimed'), cartId: z.string(), version: z.number().int(), lines: z.array(checkoutLine) }),
  /** Another checkout holds the cart. */
  z.object({ state: z.literal('busy'), heldBy: z.string() }),
  /** This checkout already completed or was released: the claim is over. */
  z.object({ state: z.enum(['completed', 'released']) }),
  /** Only for `resumeOnly`: this checkout never claimed the cart, and still has not. */
  z.object({ state: z.literal('unclaimed') }),
]);
export type ClaimResult = z.infer<typeof claimResult>;

const done = z.object({ ok: z.literal(true) });

export const CART_API = {
  /**
   * Holds the user's cart (created if missing) for one checkout at a time; the cart stays editable.
   * Idempotent for the same checkoutId. With `resumeOnly` it never makes a new claim: a checkout that
   * holds none answers `unclaimed`.
   */
  claimForCheckout: internalRoute({
    path: '/checkout/claim',
    request: z.object({ userId: z.string().regex(USER_ID), checkoutId, resumeOnly: z.boolean().default(false) }),
    response: claimResult,
    retrySafe: true, // once per checkoutId
  }),
  /**
   * Takes the ordered quantities out of the cart (a line drops when nothing is left; lines and units
   * added meanwhile stay) and ends the claim. Applied once per checkoutId, however often it is called.
   */
  completeCheckout: internalRoute({
    path: '/checkout/complete',
    // A cart holds at most MAX_CART_LINES lines, so no order lists more.
    request: z.object({ checkoutId, lines: z.array(checkoutLine).max(MAX_CART_LINES) }),
    response: done,
    retrySafe: true, // once per checkoutId
  }),
  /** Ends the claim without touching lines. Idempotent. */
  releaseCheckout: internalRoute({ path: '/checkout/release', request: z.object({ checkoutId }), response: done, retrySafe: true }),
};

/** The cart's internal API, for the order service's checkout. */
export class CartClient {
  private readonly http: InternalClient;

  constructor(url: string, secret: string, options: Omit<InternalClientOptions, 'service'> = {}) {
    this.http = new InternalClient(url, secret, { service: 'cart', ...options });
  }

  claimForCheckout(caller: CallerContext, userId: string, checkoutId: string, options: { resumeOnly?: boolean } = {}): Promise<ClaimResult> {
    return this.http.call(caller, CART_API.claimForCheckout, { userId, checkoutId, resumeOnly: options.resumeOnly ?? false });
  }

  async completeCheckout(caller: CallerContext, checkoutId: string, lines: CheckoutLine[]): Promise<void> {
    await this.http.call(caller, CART_API.completeCheckout, { checkoutId, lines });
  }

  async releaseCheckout(caller: CallerContext, checkoutId: string): Promise<void> {
    await this.http.call(caller, CART_API.releaseCheckout, { checkoutId });
  }
}
