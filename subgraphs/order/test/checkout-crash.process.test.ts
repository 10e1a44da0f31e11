import { randomUUID } from 'node:crypto';
import {
  AddToCartDocument,
  CheckoutDocument,
  CreateProductDocument,
  MyCartDocument,
  MyOrdersDocument,
  SetStockDocument,
  VariantDocument,
  type CreateProductInput,
  type MyOrdersQuery,
} from '@storefront/client';
import { eventually, logRecords, startShopProcesses, tailOf, type ServiceProcess, type ShopProcesses } from '@storefront/testing';
import { CHECKOUT_STEPS, type CheckoutStep } from '../src/services/fault-injection';

/**
 * "Crash safety": catalog, cart, order and gateway run as real processes on real databases (SQLite
 * files, or MySQL with DATABASE_URL). For every boundary in CHECKOUT_STEPS the order process SIGKILLs
 * itself mid-checkout (ORDER_FAULT_AT); restarted without the fault, it must bring the checkout to the
 * outcome OUTCOME names for that step on its own — no client retry — either the order exists once, the
 * stock is taken once and the cart emptied of what was bought, or nothing happened at all. A retry with
 * the same idempotency key then answers that order (or places it now) and takes nothing again. Only the order process restarts; the others, and
 * their data, are shared by the steps, each with its own shopper.
 */

type Item = { id: string; sku: string; kind: string; price: number };
type Lines = Record<string, number>; // sku -> quantity

let shop: ShopProcesses;
let admin: string;
let tee: Item;
let hat: Item;
let candy: Item;
/** Added while the order service is down, after the order was placed: must survive the cart being emptied. */
let mint: Item;

/** Known stock set before every step. */
const STOCK = { tee: 40, hat: 30, candy: 50, mint: 20 };
/** What every shopper buys: three variants of three kinds. */
const ORDERED = () => [[tee, 2], [hat, 1], [candy, 3]] as const;
/** Steps after which the order is committed: the cart may change meanwhile, only the ordered quantities go. */
const ORDER_COMMITTED: readonly CheckoutStep[] = ['order-placed', 'cart-completed'];
/**
 * Where recovery takes a checkout killed at each step, with no client retry. Killed at `recorded`, the
 * claim never reached the cart and recovery does not claim on a shopper's behalf (it would order whatever
 * the cart holds later): nothing happens until the retry. From `cart-claimed` on, the cart holds the claim
 * and recovery carries the checkout through to the order. Pinned per step, so every run checks one exact
 * outcome rather than accepting either.
 */
const OUTCOME: Record<CheckoutStep, 'placed' | 'untouched'> = {
  recorded: 'untouched',
  'cart-claimed': 'placed',
  'claim-saved': 'placed',
  'stock-reserved': 'placed',
  'reservation-saved': 'placed',
  'order-placed': 'placed',
  'cart-completed': 'placed',
};

const CONVERGE_MS = 60_000;

beforeAll(async () => {
  shop = await startShopProcesses();
  admin = await shop.token('crash-admin', { admin: true });
  const create = async (input: CreateProductInput): Promise<Item[]> => {
    const response = await shop.run(CreateProductDocument, { input }, admin);
    expect(response.errors).toBeUndefined();
    expect(response.data?.createProduct.userErrors).toEqual([]);
    const product = response.data!.createProduct.product!;
    return product.variants.map((v) => ({ id: v.id, sku: v.sku, kind: product.kind, price: v.price.amount }));
  };
  [tee] = await create({
    name: 'Crash Tee',
    kind: 'TSHIRT',
    price: { amount: 2500, currencyCode: 'USD' },
    variants: [{ sku: 'CRASH-TEE-M', stock: STOCK.tee, attributes: { tshirt: { size: 'M', color: 'black' } } }],
  });
  [hat] = await create({
    name: 'Crash Beanie',
    kind: 'HAT',
    price: { amount: 1800, currencyCode: 'USD' },
    variants: [{ sku: 'CRASH-HAT-RED', stock: STOCK.hat, attributes: { hat: { color: 'red', style: 'BEANIE' } } }],
  });
  [candy, mint] = await create({
    name: 'Crash Drops',
    kind: 'CANDY',
    price: { amount: 350, currencyCode: 'USD' },
    variants: [
      { sku: 'CRASH-CANDY-LEMON', stock: STOCK.candy, attributes: { candy: { flavor: 'lemon', weightGrams: 100 } } },
      { sku: 'CRASH-CANDY-MINT', stock: STOCK.mint, priceOverride: { amount: 400, currencyCode: 'USD' }, attributes: { candy: { flavor: 'mint', weightGrams: 50, sugarFree: true } } },
    ],
  });
}, 300_000);

afterAll(() => shop?.stop(), 120_000);

// A step that failed half-way may leave the order service down with its checkout unfinished: start it
// healthy so the next step's restart (SIGTERM waits for the start-up recovery) begins from a finished state.
afterEach(async () => {
  if (shop && shop.process('order').child.exitCode === null && shop.process('order').child.signalCode === null) return;
  await shop?.restart('order');
}, 180_000);

const stockOf = async (item: Item): Promise<number> => {
  const response = await shop.run(VariantDocument, { id: item.id });
  if (response.errors || !response.data?.variant) throw new Error(`variant ${item.sku}: ${JSON.stringify(response.errors)}`);
  return response.data.variant.stock;
};

async function stocks(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const item of [tee, hat, candy, mint]) out[item.sku] = await stockOf(item);
  return out;
}

async function cartLines(token: string): Promise<Lines> {
  const response = await shop.run(MyCartDocument, {}, token);
  if (response.errors || !response.data?.me) throw new Error(`cart: ${JSON.stringify(response.errors)}`);
  return Object.fromEntries(response.data.me.cart.lines.map((l) => [l.variant.sku, l.quantity]));
}

async function orders(token: string): Promise<NonNullable<MyOrdersQuery['me']>['orders']> {
  const response = await shop.run(MyOrdersDocument, { first: 10 }, token);
  if (response.errors || !response.data?.me) throw new Error(`orders: ${JSON.stringify(response.errors)}`);
  return response.data.me.orders;
}

async function add(token: string, item: Item, quantity: number): Promise<void> {
  const response = await shop.run(AddToCartDocument, { variantId: item.id, quantity }, token);
  expect(response.errors).toBeUndefined();
  expect(response.data?.addToCart.userErrors).toEqual([]);
}

/** Resolves with how the process ended, or fails (with its output) if it is still running at the deadline. */
async function exitOf(service: ServiceProcess, timeoutMs = 30_000): Promise<number | NodeJS.Signals | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${service.name} still running after ${timeoutMs} ms\n${tailOf(service)}`)), timeoutMs);
  });
  try {
    return await Promise.race([service.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const bySku = (lines: Lines) => Object.entries(lines).sort(([a], [b]) => a.localeCompare(b));

describe('crash safety: the order service is killed at every checkout step', () => {
  test.each([...CHECKOUT_STEPS])(
    'killed at %s: the system converges by itself, and the retry with the same key does nothing twice',
    async (step) => {
      const shopper = `crash-shopper-${step}`;
      const token = await shop.token(shopper);
      for (const [item, stock] of [[tee, STOCK.tee], [hat, STOCK.hat], [candy, STOCK.candy], [mint, STOCK.mint]] as const) {
        const set = await shop.run(SetStockDocument, { variantId: item.id, stock }, admin);
        expect(set.data?.setStock.userErrors).toEqual([]);
      }
      for (const [item, quantity] of ORDERED()) await add(token, item, quantity);
      const cartBefore = await cartLines(token);
      expect(bySku(cartBefore)).toEqual(bySku({ [tee.sku]: 2, [hat.sku]: 1, [candy.sku]: 3 }));
      const stockBefore = await stocks();
      const stockAfterOrder = { ...stockBefore, [tee.sku]: STOCK.tee - 2, [hat.sku]: STOCK.hat - 1, [candy.sku]: STOCK.candy - 3 };
      const total = tee.price * 2 + hat.price + candy.price * 3;

      // The order service, armed: it kills itself at `step`, in the middle of the request.
      const armed = await shop.restart('order', { ORDER_FAULT_AT: step });
      expect((await orders(token)).totalCount).toBe(0); // the gateway reaches the new process

      const key = `crash-${step}-${randomUUID()}`;
      const first = await shop.run(CheckoutDocument, { input: { idempotencyKey: key } }, token);
      // Every step, `cart-completed` too (the request waits for the outbox relay to empty the cart), comes
      // before the answer: the process dies under the request and the gateway answers an error.
      expect(first.data?.checkout ?? null).toBeNull();
      expect(first.errors?.length).toBeGreaterThan(0);

      // Killed by its own fault injection, at this step: its one record is written synchronously before the kill.
      expect(await exitOf(armed)).toBe('SIGKILL');
      const faults = logRecords(armed).filter((r) => r.msg === 'fault injection: killing the process');
      expect(faults).toEqual([expect.objectContaining({ step, service: 'order' })]);

      // While the order service is down the shopper keeps shopping: a new line and one more of a bought variant.
      let expectedCart: Lines = {};
      if (ORDER_COMMITTED.includes(step)) {
        await add(token, mint, 1);
        await add(token, tee, 1);
        expectedCart = { [tee.sku]: 1, [mint.sku]: 1 };
      }

      // Back up without the fault; nobody retries. Recovery must finish (or leave untouched) the checkout on its own.
      const recovered = await shop.restart('order');
      const expected =
        OUTCOME[step] === 'placed'
          ? { orders: 1, listed: 1, stock: stockAfterOrder, cart: bySku(expectedCart) }
          : { orders: 0, listed: 0, stock: stockBefore, cart: bySku(cartBefore) };
      const afterRecovery = await eventually(
        async () => {
          // "Nothing happened yet" looks the same as untouched: that only counts once recovery has driven the
          // checkout and left it started. Read before the state, so the state is at least as new as the log.
          const leftStarted = logRecords(recovered).some((r) => r.msg === 'recovered checkout' && r.status === 'started');
          // The page and its totalCount are two reads: an order committed between them is counted but not
          // listed yet, so both must agree before the state counts as converged.
          const history = await orders(token);
          const state = { orders: history.totalCount, listed: history.edges.length, stock: await stocks(), cart: bySku(await cartLines(token)) };
          const done = OUTCOME[step] === 'placed' || leftStarted;
          if (!done || JSON.stringify(state) !== JSON.stringify(expected)) {
            throw new Error(`not ${OUTCOME[step]}: ${JSON.stringify({ ...state, leftStarted })}`);
          }
          return history.edges[0]?.node ?? null;
        },
        { timeoutMs: CONVERGE_MS, intervalMs: 200, what: `convergence after a crash at ${step}`, describe: () => tailOf(recovered) },
      );

      // The client retries with the same key: the order recovery placed, or, if nothing happened, the order
      // now; either way once, with what the shopper had in the cart when checking out.
      const retry = await shop.run(CheckoutDocument, { input: { idempotencyKey: key } }, token);
      expect(retry.errors).toBeUndefined();
      expect(retry.data?.checkout.userErrors).toEqual([]);
      const order = retry.data!.checkout.order!;
      expect(afterRecovery).toEqual(OUTCOME[step] === 'placed' ? order : null);
      expect(order.status).toBe('PLACED');
      expect(order.total).toEqual({ amount: total, currencyCode: 'USD' });
      expect(order.lines.map((l) => [l.sku, l.kind, l.quantity, l.unitPrice.amount, l.attributes.__typename])).toEqual([
        [tee.sku, 'TSHIRT', 2, tee.price, 'TShirtAttributes'],
        [hat.sku, 'HAT', 1, hat.price, 'HatAttributes'],
        [candy.sku, 'CANDY', 3, candy.price, 'CandyAttributes'],
      ]);
      const after = await orders(token);
      expect(after.totalCount).toBe(1);
      expect(after.edges[0].node.id).toBe(order.id);
      expect(await stocks()).toEqual(stockAfterOrder);
      expect(bySku(await cartLines(token))).toEqual(bySku(expectedCart));
      expect(recovered.child.exitCode).toBeNull();
    },
    240_000,
  );
});
