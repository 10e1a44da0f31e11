import { randomUUID } from 'node:crypto';
import { type CartClient, type CatalogClient, type CatalogVariant, type ClaimResult, type StockProblem } from '@storefront/contracts';
import { backgroundContext, isUniqueViolation, MAX_TOTAL_AMOUNT, totalAmount, type Database, type Leases, type Logger, type ServiceContext } from '@storefront/service-kit';
import type { CheckoutEntity, CheckoutFailure, CheckoutStatus, OrderEntity, OrderLineEntity } from '../entities';
import type { OrderRepositories } from '../repositories';
import type { CheckoutErrorCode } from '../generated/resolvers-types';
import type { CheckoutStep } from './fault-injection';
import type { OutboxRelay } from './outbox-relay';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,100}$/;
const UNFINISHED: CheckoutStatus[] = ['started', 'claimed', 'reserved'];
/** Longer than driving one checkout can take (a few internal calls, each within its timeout). */
const RECOVERY_LEASE_MS = 60_000;

export type CheckoutOutcome =
  | { ok: true; order: OrderEntity }
  /** A recorded checkout's failure, or the key's own format error, answered before anything is recorded. */
  | { ok: false; failure: Omit<CheckoutFailure, 'code'> & { code: CheckoutErrorCode } };

/**
 * Checkout as a saga over three services, exactly once per (user, idempotency key):
 *
 * 1. record the checkout (unique per user and key: a retry finds it and carries on from where it is);
 * 2. claim the cart: the cart service holds the cart for this checkout (another checkout of the same
 *    cart is refused) and hands over its lines, which are fixed here;
 * 3. reserve the stock in the catalog, all or nothing, keyed by this checkout's id;
 * 4. place the order and an outbox row in one transaction (the order is unique per checkout);
 * 5. the outbox relay empties the ordered quantities from the cart, retrying until done.
 *
 * A refused checkout (empty cart, stock short) takes nothing and releases the cart through the outbox.
 * Each step moves the checkout's status by a conditional update and each remote step is idempotent, so
 * any number of drivers — a client retry, a concurrent request with the same key, another replica, the
 * recovery that runs at start — converge on the same result. A crash anywhere is finished by recovery.
 *
 * Only a shopper's own request claims the cart (step 2). Recovery resumes a `started` checkout only if
 * its claim had reached the cart; one that claimed nothing is left alone, and once idle past
 * `abandonAfterMs` it is `abandoned`: its key answers CHECKOUT_ABANDONED from then on. Otherwise a
 * checkout that failed while the cart was down would order, minutes later, whatever the cart held then.
 */
export class CheckoutService {
  constructor(
    private readonly db: Database,
    private readonly rows: OrderRepositories,
    private readonly cart: CartClient,
    private readonly catalog: CatalogClient,
    private readonly relay: OutboxRelay,
    private readonly leases: Leases,
    private readonly crashPoint: (step: CheckoutStep) => void,
    private readonly logger: Logger,
    /** A `started` checkout that claimed nothing and saw no activity this long is abandoned. */
    private readonly abandonAfterMs: number,
  ) {
    this.recovery = backgroundContext(db, logger, 'checkout-recovery');
  }

  /** Where recovery lists unfinished checkouts (no request's work yet: each is then driven under its own). */
  private readonly recovery: ServiceContext;

  async checkout(ctx: ServiceContext, userId: string, idempotencyKey: string): Promise<CheckoutOutcome> {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      return {
        ok: false,
        failure: { code: 'INVALID_IDEMPOTENCY_KEY', message: 'The idempotency key must be 1-100 letters, digits, -, _, : or .', problems: [] },
      };
    }
    let checkout = await this.record(ctx, userId, idempotencyKey);
    if (checkout.status === 'started' && !this.idle(checkout)) {
      // A retry within the window resumes the attempt; it counts as activity.
      await ctx.transaction((tx) => this.rows.checkouts.transition(tx, checkout.id, 'started', {}));
      checkout = await this.reload(ctx, checkout);
    }
    return this.outcome(ctx, await this.drive(ctx, checkout, { mayClaim: !this.idle(checkout) }));
  }

  /**
   * Drives every unfinished checkout (all of them at start; later only those idle for `idleMs`, which
   * a request or another replica is not driving right now) and delivers pending outbox rows. Each
   * checkout is driven in the context of the request that started it: its logs and the calls it makes
   * carry that request's id.
   */
  async recover(idleMs = 0): Promise<void> {
    const idleSince = idleMs > 0 ? new Date(Date.now() - idleMs) : null;
    // Two batches: `started` checkouts may wait here until they are abandoned (a cart outage leaves
    // many), and must not crowd out the claimed and reserved ones, which hold a cart or stock.
    const batch = (statuses: CheckoutStatus[]) => this.rows.checkouts.unfinished(this.recovery, statuses, idleSince, 100);
    const unfinished = [...(await batch(UNFINISHED.filter((s) => s !== 'started'))), ...(await batch(['started']))];
    for (const listed of unfinished) {
      const ctx = backgroundContext(this.db, this.logger, listed.requestId);
      try {
        // One replica's recovery at a time per checkout, on the checkout as it is once the lease is held.
        await this.leases.whileHolding(ctx, `checkout:${listed.id}`, RECOVERY_LEASE_MS, async () => {
          const checkout = await this.reload(ctx, listed);
          if (!UNFINISHED.includes(checkout.status)) return;
          const ended = await this.drive(ctx, checkout, { mayClaim: false });
          ctx.logger.info({ checkoutId: checkout.id, status: ended.status }, 'recovered checkout');
        });
      } catch (err) {
        ctx.logger.warn({ err, checkoutId: listed.id }, 'checkout recovery failed; will retry');
      }
    }
    await this.relay.run();
  }

  private async record(ctx: ServiceContext, userId: string, idempotencyKey: string): Promise<CheckoutEntity> {
    const existing = await this.rows.checkouts.findByKey(ctx, userId, idempotencyKey);
    if (existing) return existing;
    const now = new Date();
    const checkout: CheckoutEntity = {
      id: randomUUID(),
      userId,
      idempotencyKey,
      status: 'started',
      items: null,
      reserved: null,
      orderId: null,
      failure: null,
      requestId: ctx.requestId,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await ctx.transaction((tx) => this.rows.checkouts.insert(tx, checkout));
    } catch (error) {
      // The same key, concurrently: carry on with the checkout the other request recorded.
      if (isUniqueViolation(error)) return (await this.rows.checkouts.findByKey(ctx, userId, idempotencyKey))!;
      throw error;
    }
    this.crashPoint('recorded');
    return checkout;
  }

  private async drive(ctx: ServiceContext, initial: CheckoutEntity, { mayClaim }: { mayClaim: boolean }): Promise<CheckoutEntity> {
    let checkout = initial;
    for (;;) {
      const before = checkout.status;
      if (before === 'started' && !mayClaim) {
        checkout = await this.resumeOrAbandon(ctx, checkout);
        // Claimed nothing, not idle long enough to give up: left for later.
        if (checkout.status === 'started') return checkout;
      } else if (before === 'started') checkout = await this.claimCart(ctx, checkout);
      else if (before === 'claimed') checkout = await this.reserveStock(ctx, checkout);
      else if (before === 'reserved') checkout = await this.placeOrder(ctx, checkout);
      else return checkout;
      if (checkout.status === before) throw new Error(`Checkout ${checkout.id} made no progress from ${before}`);
    }
  }

  private idle(checkout: CheckoutEntity): boolean {
    return Date.now() - checkout.updatedAt.getTime() > this.abandonAfterMs;
  }

  /**
   * A `started` checkout nobody drives as the shopper's request: carried on only when its claim had
   * reached the cart (the crash or lost answer came after it), abandoned when it claimed nothing and
   * has been idle past the limit.
   */
  private async resumeOrAbandon(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    const claim = await this.cart.claimForCheckout(ctx, checkout.userId, checkout.id, { resumeOnly: true });
    if (claim.state !== 'unclaimed') return this.claimed(ctx, checkout, claim);
    return this.idle(checkout) ? this.abandon(ctx, checkout) : checkout;
  }

  /**
   * Gives the attempt up for good. The release goes through the outbox: it records the checkout as
   * released in the cart, so a claim of it still in flight is refused, or frees the cart if one landed.
   */
  private async abandon(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    const failure: CheckoutFailure = {
      code: 'CHECKOUT_ABANDONED',
      message: 'This checkout never got hold of the cart in time and was abandoned; check out again with a new idempotency key.',
      problems: [],
    };
    const abandoned = await ctx.transaction(async (tx) => {
      if (!(await this.rows.checkouts.transition(tx, checkout.id, 'started', { status: 'abandoned', failure }))) return false;
      await this.rows.outbox.enqueue(tx, checkout.id, 'cart.release', {});
      return true;
    });
    if (abandoned) {
      ctx.logger.info({ checkoutId: checkout.id }, 'checkout abandoned');
      await this.relay.run();
    }
    return this.reload(ctx, checkout);
  }

  private async claimCart(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    return this.claimed(ctx, checkout, await this.cart.claimForCheckout(ctx, checkout.userId, checkout.id));
  }

  /** Moves a `started` checkout on from what the cart answered to its claim. */
  private async claimed(ctx: ServiceContext, checkout: CheckoutEntity, claim: ClaimResult): Promise<CheckoutEntity> {
    this.crashPoint('cart-claimed');
    if (claim.state === 'busy') {
      return this.fail(ctx, checkout, 'started', { code: 'CHECKOUT_IN_PROGRESS', message: 'Another checkout of this cart is running.', problems: [] }, false);
    }
    if (claim.state === 'unclaimed') throw new Error(`Checkout ${checkout.id}: the cart answered a claim with unclaimed`);
    // The claim is already over: another driver completed, failed or abandoned this checkout (each of
    // which moves it on in the same transaction that asks the cart to end the claim); read what it did.
    if (claim.state !== 'claimed') return this.reload(ctx, checkout);
    if (claim.lines.length === 0) {
      return this.fail(ctx, checkout, 'started', { code: 'EMPTY_CART', message: 'Your cart is empty.', problems: [] }, true);
    }
    // Before any stock is taken, so a refusal leaves nothing behind; prices at reservation normally match.
    const prices = new Map((await this.catalog.lookupVariants(ctx, claim.lines.map((l) => l.variantId))).map((v) => [v.id, v.price]));
    if (totalAmount(claim.lines, prices) > MAX_TOTAL_AMOUNT) {
      const message = `An order's total may not exceed ${MAX_TOTAL_AMOUNT} minor units; lower a quantity.`;
      return this.fail(ctx, checkout, 'started', { code: 'ORDER_TOTAL_LIMIT', message, problems: [] }, true);
    }
    const next = await this.advance(ctx, checkout, 'started', { status: 'claimed', items: claim.lines });
    this.crashPoint('claim-saved');
    return next;
  }

  private async reserveStock(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    const result = await this.catalog.reserveStock(ctx, checkout.id, checkout.items!);
    this.crashPoint('stock-reserved');
    if (!result.ok) return this.fail(ctx, checkout, 'claimed', failureOf(result.problems), true);
    const next = await this.advance(ctx, checkout, 'claimed', { status: 'reserved', reserved: result.variants });
    this.crashPoint('reservation-saved');
    return next;
  }

  /** The order, its lines and the outbox row that empties the cart: one transaction, once per checkout. */
  private async placeOrder(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    const orderId = randomUUID();
    const placed = await ctx.transaction(async (tx) => {
      // First statement: moves the checkout on (and, on MySQL, locks its row) or finds another driver did.
      if (!(await this.rows.checkouts.transition(tx, checkout.id, 'reserved', { status: 'completed', orderId }))) return false;
      const { order, lines } = buildOrder(orderId, checkout);
      await this.rows.orders.insert(tx, order, lines);
      await this.rows.outbox.enqueue(tx, checkout.id, 'cart.complete', { lines: checkout.items! });
      return true;
    });
    if (placed) {
      this.crashPoint('order-placed');
      // Empty the cart now so the shopper sees it empty; if the cart is down the relay keeps trying.
      await this.relay.run();
    }
    return this.reload(ctx, checkout);
  }

  private async fail(ctx: ServiceContext, checkout: CheckoutEntity, from: CheckoutStatus, failure: CheckoutFailure, releaseCart: boolean): Promise<CheckoutEntity> {
    const failed = await ctx.transaction(async (tx) => {
      if (!(await this.rows.checkouts.transition(tx, checkout.id, from, { status: 'failed', failure }))) return false;
      if (releaseCart) await this.rows.outbox.enqueue(tx, checkout.id, 'cart.release', {});
      return true;
    });
    if (failed && releaseCart) await this.relay.run();
    return this.reload(ctx, checkout);
  }

  private async advance(ctx: ServiceContext, checkout: CheckoutEntity, from: CheckoutStatus, changes: Partial<CheckoutEntity>): Promise<CheckoutEntity> {
    await ctx.transaction((tx) => this.rows.checkouts.transition(tx, checkout.id, from, changes));
    return this.reload(ctx, checkout);
  }

  private reload(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutEntity> {
    return this.rows.checkouts.get(ctx, checkout.id);
  }

  private async outcome(ctx: ServiceContext, checkout: CheckoutEntity): Promise<CheckoutOutcome> {
    if (checkout.status === 'completed') {
      return { ok: true, order: await this.rows.orders.get(ctx, checkout.orderId!) };
    }
    return { ok: false, failure: checkout.failure! };
  }
}

function failureOf(problems: StockProblem[]): CheckoutFailure {
  const unavailable = problems.some((p) => p.reason !== 'INSUFFICIENT_STOCK');
  return unavailable
    ? { code: 'VARIANT_UNAVAILABLE', message: 'Some items are no longer for sale.', problems }
    : { code: 'INSUFFICIENT_STOCK', message: 'Some items do not have enough stock.', problems };
}

/** The order as bought: every line copies the variant the catalog reserved, at the price it reserved. */
function buildOrder(orderId: string, checkout: CheckoutEntity): { order: Omit<OrderEntity, 'seq'>; lines: OrderLineEntity[] } {
  const reserved = new Map((checkout.reserved ?? []).map((v) => [v.id, v]));
  const lines = checkout.items!.map((item, position): OrderLineEntity => {
    const variant = reserved.get(item.variantId) as CatalogVariant;
    return {
      id: randomUUID(),
      orderId,
      position,
      productId: variant.productId,
      productName: variant.productName,
      variantId: variant.id,
      sku: variant.sku,
      kind: variant.kind,
      attributes: variant.attributes,
      unitPrice: variant.price.amount,
      currencyCode: variant.price.currencyCode,
      quantity: item.quantity,
      lineTotal: variant.price.amount * item.quantity,
    };
  });
  return {
    order: {
      id: orderId,
      userId: checkout.userId,
      checkoutId: checkout.id,
      status: 'PLACED',
      currencyCode: lines[0].currencyCode,
      totalAmount: lines.reduce((sum, line) => sum + line.lineTotal, 0),
      totalQuantity: lines.reduce((sum, line) => sum + line.quantity, 0),
      placedAt: new Date(),
    },
    lines,
  };
}
