import { InternalClient, type InternalClientOptions } from '../internal-client';

export interface CheckoutLine {
  variantId: string;
  quantity: number;
}

export type ClaimResult =
  /** The cart is held for this checkout; `lines` are its lines now (may be empty). */
  | { state: 'claimed'; cartId: string; version: number; lines: CheckoutLine[] }
  /** Another checkout holds the cart. */
  | { state: 'busy'; heldBy: string }
  /** This checkout already completed or was released: the claim is over. */
  | { state: 'completed' | 'released' }
  /** Only for `resumeOnly`: this checkout never claimed the cart, and still has not. */
  | { state: 'unclaimed' };

export const CART_ROUTES = {
  /**
   * body `{ userId, checkoutId }` → `ClaimResult`. Holds the user's cart (created if missing) for one
   * checkout at a time; the cart stays editable. Idempotent for the same checkoutId. With
   * `resumeOnly: true` it never makes a new claim: a checkout that holds none answers `unclaimed`.
   */
  claimForCheckout: '/checkout/claim',
  /**
   * body `{ checkoutId, lines: CheckoutLine[] }` → `{ ok: true }`. Takes the ordered quantities out of
   * the cart (a line drops when nothing is left; lines and units added meanwhile stay) and ends the
   * claim. Applied once per checkoutId, however often it is called.
   */
  completeCheckout: '/checkout/complete',
  /** body `{ checkoutId }` → `{ ok: true }`. Ends the claim without touching lines. Idempotent. */
  releaseCheckout: '/checkout/release',
} as const;

/** The cart's internal API, for the order service's checkout. */
export class CartClient {
  private readonly http: InternalClient;

  constructor(url: string, secret: string, options: Omit<InternalClientOptions, 'service'> = {}) {
    this.http = new InternalClient(url, secret, { service: 'cart', ...options });
  }

  claimForCheckout(userId: string, checkoutId: string, requestId?: string, options: { resumeOnly?: boolean } = {}): Promise<ClaimResult> {
    return this.http.post<ClaimResult>(CART_ROUTES.claimForCheckout, { userId, checkoutId, resumeOnly: options.resumeOnly ?? false }, requestId);
  }

  async completeCheckout(checkoutId: string, lines: CheckoutLine[], requestId?: string): Promise<void> {
    await this.http.post(CART_ROUTES.completeCheckout, { checkoutId, lines }, requestId);
  }

  async releaseCheckout(checkoutId: string, requestId?: string): Promise<void> {
    await this.http.post(CART_ROUTES.releaseCheckout, { checkoutId }, requestId);
  }
}
