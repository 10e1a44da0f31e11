import { CreateGuestCartDocument } from '@storefront/client';
import { LeaseSchema } from '@storefront/service-kit';
import { startCartStack, type CartStack } from '@storefront/testing';
import { CartSchema } from '../src/entities';
import { createCartServer, type CartServer } from '../src/server';

/**
 * Two cart replicas on one database sweep expired guest carts once per interval between them: the one
 * holding the `guest-cart-sweep` lease sweeps, the other skips, and takes over once the holder's lease
 * lapses (a replica that died). The second replica is a whole cart server built from the first's configuration.
 */
const LEASE = 'guest-cart-sweep';
let stack: CartStack;
let first: CartServer;
let second: CartServer;

beforeAll(async () => {
  stack = await startCartStack();
  first = stack.cart.server;
  second = await createCartServer(stack.cart.config);
  await second.listen(0, '127.0.0.1');
});
afterAll(async () => {
  await second?.stop();
  await stack?.stop();
});

const lease = () => first.database.manager.findOneBy(LeaseSchema, { name: LEASE });
const exists = async (cartId: string) => (await first.database.manager.findOneBy(CartSchema, { id: cartId })) !== null;

/** A guest cart untouched for longer than the configured days. */
async function expiredGuestCart(): Promise<string> {
  const cartId = (await stack.run(CreateGuestCartDocument, {})).data!.createGuestCart.cart.id;
  const longAgo = new Date(Date.now() - (stack.cart.config.guestCartTtlDays + 1) * 86_400_000);
  await first.database.manager.update(CartSchema, { id: cartId }, { updatedAt: longAgo });
  return cartId;
}

test('the replica holding the lease sweeps; the other skips until the lease lapses, then takes over', async () => {
  // The first replica swept at its start and holds the lease for the interval; the second, started
  // after, skipped its start sweep.
  expect((await lease())?.holder).toBe(first.leases.holder);

  const stale = await expiredGuestCart();
  await second.sweepGuestCarts();
  expect(await exists(stale)).toBe(true);
  await first.sweepGuestCarts();
  expect(await exists(stale)).toBe(false);

  // The first replica "dies": its lease lapses, and the second one's next sweep takes the work over.
  await first.database.manager.update(LeaseSchema, { name: LEASE }, { expiresAt: 0 });
  const another = await expiredGuestCart();
  await second.sweepGuestCarts();
  expect(await exists(another)).toBe(false);
  expect((await lease())?.holder).toBe(second.leases.holder);
  expect((await lease())!.expiresAt).toBeGreaterThan(Date.now() + 30 * 60_000);
});
