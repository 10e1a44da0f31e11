import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type CatalogClient, type CatalogVariant } from '@storefront/contracts';
import { isUniqueViolation, MAX_TOTAL_AMOUNT, totalAmount, type Money, type ServiceContext } from '@storefront/service-kit';
import type { CartEntity, CartLineEntity } from '../entities';
import type { CartRepositories } from '../repositories';
import { refusable, refuse, type Outcome } from './cart-errors';

export interface CartLimits {
  maxLineQuantity: number;
  maxLines: number;
}

/**
 * A cart and its lines as one transaction left them: a payload built from both shows a version that
 * describes exactly the lines shown, even while other writes to the cart commit right after.
 */
export interface CartState {
  cart: CartEntity;
  lines: CartLineEntity[];
}

/** Whose cart a request acts on: the signed-in user's, or the guest cart its token opens. */
export type CartOwner = { userId: string } | { guestToken: string };

export function hashGuestToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newCart(owner: { userId: string } | { guestTokenHash: string }, now = new Date()): CartEntity {
  return {
    id: randomUUID(),
    userId: 'userId' in owner ? owner.userId : null,
    guestTokenHash: 'guestTokenHash' in owner ? owner.guestTokenHash : null,
    status: 'open',
    mergedInto: null,
    version: 1,
    checkoutId: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Carts and their lines. Every change runs in one transaction that first bumps the cart's version:
 * on MySQL that UPDATE takes the cart's row lock, so concurrent changes to one cart queue up and each
 * reads the lines the previous one committed (no lost update); on SQLite the kit serializes
 * transactions. Catalog calls happen before the transaction, never while holding the lock.
 */
export class CartService {
  constructor(
    private readonly rows: CartRepositories,
    private readonly catalog: CatalogClient,
    private readonly limits: CartLimits,
  ) {}

  /** The user's cart, created on first use; concurrent first uses end with the same single cart. */
  async userCart(ctx: ServiceContext, userId: string): Promise<CartEntity> {
    const found = await this.rows.carts.ofUser(ctx, userId);
    if (found) return found;
    const cart = newCart({ userId });
    try {
      await ctx.transaction((tx) => this.rows.carts.insert(tx, cart));
      return cart;
    } catch (error) {
      if (isUniqueViolation(error)) return (await this.rows.carts.ofUser(ctx, userId))!;
      throw error;
    }
  }

  /** An open guest cart by its token, or null (unknown, expired or merged). */
  guestCart(ctx: ServiceContext, token: string): Promise<CartEntity | null> {
    return this.rows.carts.guest(ctx, hashGuestToken(token), { open: true });
  }

  /** The cart a caller sees, or null when a guest token opens nothing. */
  find(ctx: ServiceContext, owner: CartOwner): Promise<CartEntity | null> {
    return 'userId' in owner ? this.userCart(ctx, owner.userId) : this.guestCart(ctx, owner.guestToken);
  }

  async createGuestCart(ctx: ServiceContext): Promise<{ cart: CartEntity; token: string }> {
    // 256 random bits: the token is the only credential of a guest cart.
    const token = randomBytes(32).toString('base64url');
    const cart = newCart({ guestTokenHash: hashGuestToken(token) });
    await ctx.transaction((tx) => this.rows.carts.insert(tx, cart));
    return { cart, token };
  }

  async addToCart(ctx: ServiceContext, owner: CartOwner, variantId: string, quantity: number): Promise<Outcome<CartState>> {
    return refusable(async () => {
      if (!Number.isInteger(quantity) || quantity < 1) refuse('INVALID_QUANTITY', ['quantity'], 'Add at least 1 unit.');
      const cart = await this.requireCart(ctx, owner);
      const prices = await this.pricesOf(ctx, [cart.id], [variantId]);
      const variant = prices.get(variantId);
      if (!variant) refuse('VARIANT_NOT_FOUND', ['variantId'], `No variant has id ${variantId}.`);
      if (!variant.available) refuse('VARIANT_UNAVAILABLE', ['variantId'], `${variant.sku} is no longer for sale.`);
      return this.change(ctx, cart, async (tx, lines, now) => {
        const line = lines.find((l) => l.variantId === variantId);
        const total = (line?.quantity ?? 0) + quantity;
        this.checkTotal([...lines.filter((l) => l !== line), { variantId, quantity: total }], prices, ['quantity']);
        if (lines.some((l) => l.currencyCode !== variant.price.currencyCode)) {
          refuse('CURRENCY_MISMATCH', ['variantId'], `${variant.sku} is priced in ${variant.price.currencyCode}, the cart in ${lines[0].currencyCode}.`);
        }
        this.checkQuantity(total, variant);
        if (line) {
          await this.rows.lines.setQuantity(tx, line.id, total, now);
        } else {
          if (lines.length >= this.limits.maxLines) {
            refuse('CART_LINES_LIMIT', ['variantId'], `A cart holds at most ${this.limits.maxLines} lines.`);
          }
          await this.rows.lines.insert(tx, {
            id: randomUUID(),
            cartId: cart.id,
            variantId,
            quantity: total,
            currencyCode: variant.price.currencyCode,
            addedAt: now,
            updatedAt: now,
          });
        }
      });
    });
  }

  async updateLine(ctx: ServiceContext, owner: CartOwner, lineId: string, quantity: number): Promise<Outcome<CartState>> {
    return refusable(async () => {
      if (!Number.isInteger(quantity) || quantity < 0) refuse('INVALID_QUANTITY', ['quantity'], 'The quantity must be 0 or more.');
      const cart = await this.requireCart(ctx, owner);
      const existing = await this.rows.lines.find(ctx, lineId, cart.id);
      if (!existing) refuse('LINE_NOT_FOUND', ['lineId'], `No line ${lineId} in your cart.`);
      // Looked up for any non-zero quantity: whether the line grows is only known under the lock, and
      // another tab may lower it meanwhile. Stock matters only when it grows.
      const prices = quantity > 0 ? await this.pricesOf(ctx, [cart.id], [existing.variantId]) : new Map<string, CatalogVariant>();
      const variant = quantity > 0 ? prices.get(existing.variantId) : null;
      if (variant === undefined) refuse('VARIANT_NOT_FOUND', ['lineId'], `No variant has id ${existing.variantId}.`);
      return this.change(ctx, cart, async (tx, lines, now) => {
        const line = lines.find((l) => l.id === lineId);
        if (!line) refuse('LINE_NOT_FOUND', ['lineId'], `No line ${lineId} in your cart.`);
        if (quantity === 0) {
          await this.rows.lines.delete(tx, lineId, cart.id);
          return;
        }
        if (variant && quantity > line.quantity) {
          this.checkQuantity(quantity, variant);
          this.checkTotal([...lines.filter((l) => l !== line), { variantId: line.variantId, quantity }], prices, ['quantity']);
        }
        else if (quantity > this.limits.maxLineQuantity) this.checkQuantity(quantity, null);
        await this.rows.lines.setQuantity(tx, lineId, quantity, now);
      });
    });
  }

  async removeLine(ctx: ServiceContext, owner: CartOwner, lineId: string): Promise<Outcome<CartState>> {
    return refusable(async () => {
      const cart = await this.requireCart(ctx, owner);
      return this.change(ctx, cart, async (tx) => {
        if (!(await this.rows.lines.delete(tx, lineId, cart.id))) refuse('LINE_NOT_FOUND', ['lineId'], `No line ${lineId} in your cart.`);
      });
    });
  }

  async clear(ctx: ServiceContext, owner: CartOwner): Promise<Outcome<CartState>> {
    return refusable(async () => {
      const cart = await this.requireCart(ctx, owner);
      return this.change(ctx, cart, (tx) => this.rows.lines.clear(tx, cart.id));
    });
  }

  /**
   * Moves a guest cart's lines into the user's cart in one transaction: quantities of the same variant
   * are summed and capped at the line limit, and the guest cart is closed. When the result would break
   * the cart's line limit or mix currencies, nothing moves (nothing the guest saved is lost). Merging
   * again a token already merged into this user's cart succeeds without change, so retries are safe.
   */
  async mergeGuestCart(ctx: ServiceContext, userId: string, guestToken: string): Promise<Outcome<CartState>> {
    return refusable(async () => {
      const target = await this.userCart(ctx, userId);
      const guest = await this.rows.carts.guest(ctx, hashGuestToken(guestToken), { open: false });
      if (guest?.status === 'merged' && guest.mergedInto === target.id) {
        return { cart: target, lines: await this.rows.lines.of(ctx, target.id) };
      }
      if (!guest || guest.status !== 'open') refuse('CART_NOT_FOUND', ['guestCartToken'], 'No open guest cart has this token.');
      const prices = await this.pricesOf(ctx, [target.id, guest.id], []);
      return ctx.transaction(async (tx) => {
        const now = new Date();
        // Both carts are locked before the first plain read. On InnoDB that read fixes the transaction's
        // snapshot: guest lines read from a snapshot taken before the guest cart's lock was granted would
        // miss adds committed while the merge waited for it, and the delete below would then drop those
        // acknowledged lines. Lock order is always user cart, then guest cart, so two merges cannot deadlock.
        if (!(await this.rows.carts.lock(tx, target.id, 'visible', now))) refuse('CART_NOT_FOUND', ['guestCartToken'], 'This cart is closed.');
        if (!(await this.rows.carts.closeMerged(tx, guest.id, target.id, now))) {
          refuse('CART_NOT_FOUND', ['guestCartToken'], 'No open guest cart has this token.');
        }
        const lines = await this.rows.lines.of(tx, target.id);
        const guestLines = await this.rows.lines.of(tx, guest.id);
        const currency = lines[0]?.currencyCode ?? guestLines[0]?.currencyCode;
        if ([...lines, ...guestLines].some((l) => l.currencyCode !== currency)) {
          refuse('CURRENCY_MISMATCH', ['guestCartToken'], 'The guest cart is priced in another currency than your cart.');
        }
        const newVariants = guestLines.filter((g) => !lines.some((l) => l.variantId === g.variantId));
        if (lines.length + newVariants.length > this.limits.maxLines) {
          refuse('CART_LINES_LIMIT', ['guestCartToken'], `Merged, the cart would hold more than ${this.limits.maxLines} lines.`);
        }
        const merged = lines.map((l) => {
          const g = guestLines.find((x) => x.variantId === l.variantId);
          return { variantId: l.variantId, quantity: g ? Math.min(l.quantity + g.quantity, this.limits.maxLineQuantity) : l.quantity };
        });
        this.checkTotal([...merged, ...newVariants], prices, ['guestCartToken']);
        for (const g of guestLines) {
          const line = lines.find((l) => l.variantId === g.variantId);
          if (line) {
            const quantity = Math.min(line.quantity + g.quantity, this.limits.maxLineQuantity);
            await this.rows.lines.setQuantity(tx, line.id, quantity, now);
          }
        }
        // Lines new to the user's cart move over as they are, keeping their ids and when they were added.
        await this.rows.lines.moveTo(tx, newVariants.map((g) => g.id), target.id, now);
        // Only the lines summed above. Nothing can be added to the guest cart while we hold its lock, but
        // deleting by id means a line this transaction did not see is never deleted unseen.
        await this.rows.lines.deleteByIds(tx, guestLines.filter((g) => !newVariants.includes(g)).map((g) => g.id));
        return { cart: await this.rows.carts.get(tx, target.id), lines: await this.rows.lines.of(tx, target.id) };
      });
    });
  }

  /** Removes guest carts untouched since `ttlDays` before `now`, with their lines. Never user carts. */
  async removeExpiredGuestCarts(ctx: ServiceContext, ttlDays: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - ttlDays * 24 * 60 * 60 * 1000);
    return ctx.transaction((tx) => this.rows.carts.deleteIdleGuests(tx, cutoff));
  }

  private async requireCart(ctx: ServiceContext, owner: CartOwner): Promise<CartEntity> {
    const cart = await this.find(ctx, owner);
    if (!cart) refuse('CART_NOT_FOUND', ['guestCartToken'], 'No open guest cart has this token.');
    return cart;
  }

  /**
   * Current catalog data of every variant in `cartIds` (as read now, before the write's lock) and of
   * `extra`: one batched call, made before the transaction so no lock is held across HTTP.
   */
  private async pricesOf(ctx: ServiceContext, cartIds: string[], extra: string[]): Promise<Map<string, CatalogVariant>> {
    const lines = await this.rows.lines.ofCarts(ctx, cartIds);
    const ids = [...new Set([...lines.map((l) => l.variantId), ...extra])];
    if (ids.length === 0) return new Map();
    return new Map((await this.catalog.lookupVariants(ctx, ids)).map((v) => [v.id, v]));
  }

  /**
   * A cart whose subtotal a GraphQL Int cannot carry could never be shown or ordered: refuse the change
   * that would make it so. A line added by a concurrent write after `prices` was read is not priced here;
   * reading the cart and checkout still refuse such a total with a typed code.
   */
  private checkTotal(lines: { variantId: string; quantity: number }[], prices: Map<string, CatalogVariant>, field: string[]): void {
    const unitPrices = new Map<string, Money>([...prices].map(([id, v]) => [id, v.price]));
    if (totalAmount(lines, unitPrices) > MAX_TOTAL_AMOUNT) {
      refuse('CART_TOTAL_LIMIT', field, `A cart's subtotal may not exceed ${MAX_TOTAL_AMOUNT} minor units.`);
    }
  }

  private checkQuantity(quantity: number, variant: CatalogVariant | null): void {
    if (quantity > this.limits.maxLineQuantity) {
      refuse('LINE_QUANTITY_LIMIT', ['quantity'], `A line holds at most ${this.limits.maxLineQuantity} units.`);
    }
    if (variant && quantity > variant.stock) {
      refuse('INSUFFICIENT_STOCK', ['quantity'], `Only ${variant.stock} of ${variant.sku} in stock.`);
    }
  }

  /**
   * Runs `work` on the cart's current lines inside a transaction that starts by bumping the version
   * (the row lock). A refusal thrown by `work` rolls everything back, version included.
   */
  private change(
    ctx: ServiceContext,
    cart: CartEntity,
    work: (tx: ServiceContext, lines: CartLineEntity[], now: Date) => Promise<void>,
  ): Promise<CartState> {
    return ctx.transaction(async (tx) => {
      const now = new Date();
      if (!(await this.rows.carts.lock(tx, cart.id, 'visible', now))) refuse('CART_NOT_FOUND', ['guestCartToken'], 'This cart is closed.');
      await work(tx, await this.rows.lines.of(tx, cart.id), now);
      return { cart: await this.rows.carts.get(tx, cart.id), lines: await this.rows.lines.of(tx, cart.id) };
    });
  }
}
