import type { EntityManager } from 'typeorm';
import { CartLineSchema, CartSchema, type CartLineEntity } from '../entities';

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
export async function lockCart(manager: EntityManager, cartId: string, change: 'visible' | 'silent', now = new Date()): Promise<boolean> {
  const locked = await manager
    .createQueryBuilder()
    .update(CartSchema)
    .set(change === 'visible' ? { version: () => 'version + 1', updatedAt: now } : { version: () => 'version' })
    .where('id = :id AND status = :open', { id: cartId, open: 'open' })
    .execute();
  return Boolean(locked.affected);
}

/** A cart's lines in display order: first added first, ties broken by id. */
export function cartLines(manager: EntityManager, cartId: string): Promise<CartLineEntity[]> {
  return manager.find(CartLineSchema, { where: { cartId }, order: { addedAt: 'ASC', id: 'ASC' } });
}
