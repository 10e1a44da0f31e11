import type { ServiceContext } from '@storefront/service-kit';
import { IsNull, LessThan } from 'typeorm';
import { CartSchema, type CartEntity } from '../entities';

/** The `cart` table: a user's one cart, or a guest cart known by its token's hash. */
export class CartRepository {
  get(ctx: ServiceContext, id: string): Promise<CartEntity> {
    return ctx.manager.findOneByOrFail(CartSchema, { id });
  }

  ofUser(ctx: ServiceContext, userId: string): Promise<CartEntity | null> {
    return ctx.manager.findOneBy(CartSchema, { userId });
  }

  /** A guest cart by its token's hash, open or not (merged ones answer a repeated merge). */
  guest(ctx: ServiceContext, tokenHash: string, { open }: { open: boolean }): Promise<CartEntity | null> {
    return ctx.manager.findOneBy(CartSchema, { guestTokenHash: tokenHash, userId: IsNull(), ...(open ? { status: 'open' as const } : {}) });
  }

  /** Fails with a unique violation when the user has a cart already. */
  async insert(tx: ServiceContext, cart: CartEntity): Promise<void> {
    await tx.manager.insert(CartSchema, cart);
  }

  /**
   * The first statement of every write to a cart, inside its transaction: an UPDATE of the cart's row,
   * which on MySQL takes the row lock, so writes to one cart queue up and each one then reads what the
   * previous one committed (SQLite transactions are serialized by the kit instead).
   *
   * - `visible`: a change the shopper sees; bumps `version` and `updatedAt`.
   * - `silent`: only serializes with the other writes (a checkout claim or release changes nothing the
   *   shopper sees). The no-op assignment still takes the lock; `affected` counts it because mysql2
   *   connects with FOUND_ROWS (matched rows, not changed rows), and SQLite always counts matched rows.
   *
   * False when no open cart has this id (nothing was locked).
   */
  async lock(tx: ServiceContext, cartId: string, change: 'visible' | 'silent', now = new Date()): Promise<boolean> {
    const locked = await tx.manager
      .createQueryBuilder()
      .update(CartSchema)
      .set(change === 'visible' ? { version: () => 'version + 1', updatedAt: now } : { version: () => 'version' })
      .where('id = :id AND status = :open', { id: cartId, open: 'open' })
      .execute();
    return Boolean(locked.affected);
  }

  /** Closes an open guest cart as merged into `targetId`; false when it was not open any more. */
  async closeMerged(tx: ServiceContext, guestId: string, targetId: string, now: Date): Promise<boolean> {
    const closed = await tx.manager
      .createQueryBuilder()
      .update(CartSchema)
      .set({ status: 'merged', mergedInto: targetId, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND status = :open', { id: guestId, open: 'open' })
      .execute();
    return Boolean(closed.affected);
  }

  /**
   * Deletes guest carts untouched since `cutoff`, with their lines (ON DELETE CASCADE). The list is a
   * plain read, which may be stale by the DELETE: that checks again on the current rows (and waits for
   * a write holding the cart), so a cart touched meanwhile stays. Never user carts.
   */
  async deleteIdleGuests(tx: ServiceContext, cutoff: Date): Promise<number> {
    const idle = await tx.manager.find(CartSchema, { select: { id: true }, where: { userId: IsNull(), updatedAt: LessThan(cutoff) } });
    if (idle.length === 0) return 0;
    const deleted = await tx.manager
      .createQueryBuilder()
      .delete()
      .from(CartSchema)
      .where('id IN (:...ids) AND user_id IS NULL AND updated_at < :cutoff', { ids: idle.map((c) => c.id), cutoff })
      .execute();
    return deleted.affected ?? 0;
  }
}
