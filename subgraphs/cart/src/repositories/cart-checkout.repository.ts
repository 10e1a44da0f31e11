import type { ServiceContext } from '@storefront/service-kit';
import { CartCheckoutSchema, type CartCheckoutEntity } from '../entities';

/** The `cart_checkout` table: each checkout's claim on a cart and how it ended. */
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
}
