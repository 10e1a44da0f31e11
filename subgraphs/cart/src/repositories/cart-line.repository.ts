import type { ServiceContext } from '@storefront/service-kit';
import { In } from 'typeorm';
import { CartLineSchema, type CartLineEntity } from '../entities';

/** The `cart_line` table: one line per variant in a cart. */
export class CartLineRepository {
  /** A cart's lines in display order: first added first, ties broken by id. */
  of(ctx: ServiceContext, cartId: string): Promise<CartLineEntity[]> {
    return ctx.manager.find(CartLineSchema, { where: { cartId }, order: { addedAt: 'ASC', id: 'ASC' } });
  }

  /** The lines of several carts, each cart's in display order. */
  ofCarts(ctx: ServiceContext, cartIds: string[]): Promise<CartLineEntity[]> {
    return ctx.manager.find(CartLineSchema, { where: { cartId: In(cartIds) }, order: { addedAt: 'ASC', id: 'ASC' } });
  }

  find(ctx: ServiceContext, lineId: string, cartId: string): Promise<CartLineEntity | null> {
    return ctx.manager.findOneBy(CartLineSchema, { id: lineId, cartId });
  }

  async insert(tx: ServiceContext, line: CartLineEntity): Promise<void> {
    await tx.manager.insert(CartLineSchema, line);
  }

  async setQuantity(tx: ServiceContext, lineId: string, quantity: number, now: Date): Promise<void> {
    await tx.manager.update(CartLineSchema, { id: lineId }, { quantity, updatedAt: now });
  }

  /** Deletes the line if it is in this cart; false when it was not. */
  async delete(tx: ServiceContext, lineId: string, cartId: string): Promise<boolean> {
    const { affected } = await tx.manager.delete(CartLineSchema, { id: lineId, cartId });
    return Boolean(affected);
  }

  async deleteByIds(tx: ServiceContext, lineIds: string[]): Promise<void> {
    if (lineIds.length > 0) await tx.manager.createQueryBuilder().delete().from(CartLineSchema).whereInIds(lineIds).execute();
  }

  async clear(tx: ServiceContext, cartId: string): Promise<void> {
    await tx.manager.delete(CartLineSchema, { cartId });
  }

  /** Moves lines to another cart as they are, keeping their ids and when they were added. */
  async moveTo(tx: ServiceContext, lineIds: string[], cartId: string, now: Date): Promise<void> {
    if (lineIds.length === 0) return;
    await tx.manager.createQueryBuilder().update(CartLineSchema).set({ cartId, updatedAt: now }).whereInIds(lineIds).execute();
  }
}
