import type { ServiceContext } from '@storefront/service-kit';
import { CartCheckoutSchema, CartSchema, type CartCheckoutEntity } from '../entities';

/** Checkout claims on carts: the `cart_checkout` rows (each claim and how it ended) and the cart's `checkout_id` hold. */
export class CartCheckoutRepository {
  find(ctx: ServiceContext, checkoutId: string): Promise<CartCheckoutEntity | null> {
    return ctx.manager.findOneBy(CartCheckoutSchema, { checkoutId });
  }

  /** Fails with a unique violation when the checkout is recorded already (a concurrent call won). */
  async insert(tx: ServiceContext, row: CartCheckoutEntity): Promise<void> {
    await tx.manager.insert(CartCheckoutSchema, row);
  }

  /** Moves the checkout to `status` from one of `from`; false when there was nothing to change. */
  async end(tx: ServiceContext, checkoutId: string, status: 'completed' | 'released', from: string[], now: Date): Promise<boolean> {
    const marked = await tx.manager
      .createQueryBuilder()
      .update(CartCheckoutSchema)
      .set({ status, updatedAt: now })
      .where('checkout_id = :checkoutId AND status IN (:...from)', { checkoutId, from })
      .execute();
    return Boolean(marked.affected);
  }

  /** Holds the cart for `checkoutId` unless another checkout holds it; false when one does. */
  async hold(tx: ServiceContext, cartId: string, checkoutId: string): Promise<boolean> {
    const held = await tx.manager
      .createQueryBuilder()
      .update(CartSchema)
      .set({ checkoutId })
      .where('id = :id AND (checkout_id IS NULL OR checkout_id = :checkoutId)', { id: cartId, checkoutId })
      .execute();
    return Boolean(held.affected);
  }

  /** Frees the cart for the next checkout, unless another one holds it by now. */
  async unhold(tx: ServiceContext, cartId: string, checkoutId: string): Promise<void> {
    await tx.manager
      .createQueryBuilder()
      .update(CartSchema)
      .set({ checkoutId: null })
      .where('id = :id AND checkout_id = :checkoutId', { id: cartId, checkoutId })
      .execute();
  }
}
