import { type CheckoutLine, type ClaimResult } from '@storefront/contracts';
import { isUniqueViolation, type ServiceContext } from '@storefront/service-kit';
import type { CartCheckoutEntity } from '../entities';
import type { CartRepositories } from '../repositories';
import type { CartService } from './cart.service';

/** A checkout call that cannot be applied; the internal route answers it with `status`. */
export class CheckoutRejected extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'CheckoutRejected';
  }
}

/** Thrown inside a completion that another call already applied: rolls back its version bump. */
class AlreadyCompleted extends Error {}

/**
 * How many times a call runs again after losing an insert race on `cart_checkout` to a concurrent call
 * with the same checkout id. The second run sees the winner's row, so one retry is enough in practice.
 */
const RACE_ATTEMPTS = 3;

/**
 * The order service's hold on a cart while it checks out (`CART_API` in `@storefront/contracts`). One
 * checkout holds a cart at a time (`cart.checkout_id`); the shopper can keep editing it meanwhile.
 * Every call is idempotent per checkout id, because the order saga retries after timeouts and crashes:
 * `cart_checkout` keeps each checkout's outcome, and a completion applies its subtraction once.
 *
 * Every transaction here starts by locking the cart's row like every other cart write (`lockCart`), so
 * it serializes with them, and only then reads or writes `cart_checkout`: one lock order, no deadlock.
 * A checkout's `cart_id` never changes once written, so reading it before the transaction is safe.
 */
export class CartCheckoutService {
  constructor(
    private readonly rows: CartRepositories,
    private readonly carts: CartService,
  ) {}

  /** Holds the user's cart (created if missing) for `checkoutId` and answers its lines, or why not. */
  async claim(ctx: ServiceContext, userId: string, checkoutId: string, resumeOnly = false): Promise<ClaimResult> {
    // Recovery asks this way: it may finish what a checkout claimed, never claim for it afresh (the
    // shopper may have checked out with another key and filled the cart again since).
    if (resumeOnly && !(await this.checkout(ctx, checkoutId))) return { state: 'unclaimed' };
    const cart = await this.carts.userCart(ctx, userId);
    return this.retryingInsertRace(() =>
      ctx.transaction(async (tx) => {
        // Silent: nothing the shopper sees changes, but adds queued behind us must not slip in between
        // the lines we answer and the version we answer with.
        if (!(await this.rows.carts.lock(tx, cart.id, 'silent'))) throw new Error(`Cart ${cart.id} is not open.`);
        const checkout = await this.rows.checkouts.find(tx, checkoutId);
        if (checkout && checkout.status !== 'claimed') return { state: checkout.status };
        if (checkout && checkout.cartId !== cart.id) {
          throw new CheckoutRejected(409, `Checkout ${checkoutId} holds another user's cart.`);
        }
        if (!(await this.rows.checkouts.hold(tx, cart.id, checkoutId))) {
          const { checkoutId: heldBy } = await this.rows.carts.get(tx, cart.id);
          return { state: 'busy', heldBy: heldBy! };
        }
        // A repeated claim answers what the first one did: lines added since are not this checkout's.
        if (checkout?.lines && checkout.version !== null) {
          return { state: 'claimed', cartId: cart.id, version: checkout.version, lines: checkout.lines };
        }
        const { version } = await this.rows.carts.get(tx, cart.id);
        const lines = (await this.rows.lines.of(tx, cart.id)).map((l) => ({ variantId: l.variantId, quantity: l.quantity }));
        if (!checkout) {
          const now = new Date();
          // A concurrent release of this same id may insert first: the insert then fails, this whole
          // transaction (the hold above included) rolls back, and the retry answers `released`.
          await this.rows.checkouts.insert(tx, { checkoutId, cartId: cart.id, status: 'claimed', lines, version, createdAt: now, updatedAt: now });
        }
        return { state: 'claimed', cartId: cart.id, version, lines };
      }),
    );
  }

  /**
   * Takes the ordered quantities out of the checkout's cart and ends the claim, once per checkout id.
   * Subtracts rather than removes: units and lines the shopper added while the checkout ran stay. A
   * checkout released earlier is still completed (the order exists; what it bought leaves the cart).
   */
  async complete(ctx: ServiceContext, checkoutId: string, ordered: CheckoutLine[]): Promise<void> {
    const checkout = await this.checkout(ctx, checkoutId);
    if (!checkout?.cartId) throw new CheckoutRejected(404, `No checkout ${checkoutId} claimed a cart.`);
    if (checkout.status === 'completed') return;
    const cartId = checkout.cartId;
    try {
      await ctx.transaction(async (tx) => {
        const now = new Date();
        if (!(await this.rows.carts.lock(tx, cartId, 'visible', now))) throw new Error(`Cart ${cartId} is not open.`);
        // Decided under the cart's lock: of concurrent completions only the first gets here with a row
        // still to mark; the others roll back, version bump included.
        if (!(await this.markEnded(tx, checkoutId, 'completed', now))) throw new AlreadyCompleted();
        const lines = await this.rows.lines.of(tx, cartId);
        for (const [variantId, quantity] of totalByVariant(ordered)) {
          const line = lines.find((l) => l.variantId === variantId);
          if (!line) continue; // the shopper removed it meanwhile: nothing left to take
          if (line.quantity <= quantity) await this.rows.lines.delete(tx, line.id, cartId);
          else await this.rows.lines.setQuantity(tx, line.id, line.quantity - quantity, now);
        }
        await this.rows.checkouts.unhold(tx, cartId, checkoutId);
      });
    } catch (error) {
      if (!(error instanceof AlreadyCompleted)) throw error;
    }
  }

  /**
   * Ends the claim and leaves the lines alone. A completed checkout stays completed. An id never seen
   * is recorded as released, so a claim with it arriving late (a retry overtaken by the saga's
   * compensation) answers `released` instead of holding the cart for a checkout that gave up.
   */
  async release(ctx: ServiceContext, checkoutId: string): Promise<void> {
    await this.retryingInsertRace(async () => {
      const checkout = await this.checkout(ctx, checkoutId);
      if (!checkout) {
        const now = new Date();
        await ctx.transaction((tx) =>
          this.rows.checkouts.insert(tx, { checkoutId, cartId: null, status: 'released', lines: null, version: null, createdAt: now, updatedAt: now }),
        );
        return;
      }
      if (checkout.status !== 'claimed' || !checkout.cartId) return;
      const cartId = checkout.cartId;
      await ctx.transaction(async (tx) => {
        if (!(await this.rows.carts.lock(tx, cartId, 'silent'))) throw new Error(`Cart ${cartId} is not open.`);
        if (await this.markEnded(tx, checkoutId, 'released', new Date())) await this.rows.checkouts.unhold(tx, cartId, checkoutId);
      });
    });
  }

  private checkout(ctx: ServiceContext, checkoutId: string): Promise<CartCheckoutEntity | null> {
    return this.rows.checkouts.find(ctx, checkoutId);
  }

  /**
   * Moves a checkout to `status` unless it already completed (or, for a release, already ended).
   * False when there was nothing to change: a concurrent call got there first.
   */
  private markEnded(tx: ServiceContext, checkoutId: string, status: 'completed' | 'released', now: Date): Promise<boolean> {
    return this.rows.checkouts.end(tx, checkoutId, status, status === 'completed' ? ['claimed', 'released'] : ['claimed'], now);
  }

  /**
   * Runs `attempt` again when it lost an insert race on `cart_checkout`: the winner's row exists now,
   * and the next run decides from it.
   */
  private async retryingInsertRace<T>(attempt: () => Promise<T>): Promise<T> {
    for (let run = 1; ; run += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (run >= RACE_ATTEMPTS || !isUniqueViolation(error)) throw error;
      }
    }
  }
}

/** Ordered quantities per variant: a variant listed twice is taken out twice. */
function totalByVariant(lines: CheckoutLine[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { variantId, quantity } of lines) totals.set(variantId, (totals.get(variantId) ?? 0) + quantity);
  return totals;
}
