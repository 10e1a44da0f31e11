import { MyCartDocument, execute } from '@storefront/client';
import { connectToDatabase } from '@storefront/service-kit';
import { eventually } from '../shop-processes';
import type { ChaosTarget, Ledger } from './workload';

export interface ChaosDatabases {
  /** The MySQL/MariaDB server (`mysql://root@127.0.0.1:3306`). */
  url: string;
  catalog: string;
  order: string;
}

export interface ChaosVerdict {
  problems: string[];
  carts: number;
  checkoutKeys: number;
  orders: number;
  /** Per checked variant: stock set at the start, what is left, what this run's orders took. */
  stock: { variantId: string; initial: number; remaining: number; ordered: number }[];
}

/**
 * After the workload: waits until no checkout of this run holds a cart or stock and its outbox is
 * delivered (recovery finishes what the faults interrupted), then checks through the API and in the
 * databases that nothing acknowledged was lost and nothing was done twice:
 * - every cart holds at least the units acknowledged to its user and at most those plus the ones whose
 *   outcome the client could not know;
 * - exactly one order per idempotency key that was answered with an order, at most one for any key;
 * - stock is conserved: the stock set at the start = what is left + what this run's orders took.
 */
export async function checkChaos(
  target: ChaosTarget,
  ledger: Ledger,
  databases: ChaosDatabases,
  runId: string,
  initialStock: Map<string, number>,
  convergenceMs: number,
): Promise<ChaosVerdict> {
  const problems: string[] = [];
  const order = await connectToDatabase(databases.url, databases.order);
  const catalog = await connectToDatabase(databases.url, databases.catalog);
  try {
    const mine = `${runId}-%`;
    await eventually(
      async () => {
        const [[open]] = (await order.query(
          `SELECT
             (SELECT COUNT(*) FROM checkout WHERE user_id LIKE ? AND status IN ('claimed', 'reserved')) AS holding,
             (SELECT COUNT(*) FROM outbox o JOIN checkout c ON c.id = o.checkout_id WHERE c.user_id LIKE ? AND o.done_at IS NULL) AS undelivered`,
          [mine, mine],
        )) as unknown as [{ holding: number; undelivered: number }[]];
        return Number(open.holding) === 0 && Number(open.undelivered) === 0 ? true : undefined;
      },
      { timeoutMs: convergenceMs, intervalMs: 1_000, what: 'checkouts to finish and the outbox to drain' },
    ).catch((error: unknown) => problems.push((error as Error).message));

    for (const [userId, told] of ledger.carts) {
      const cart = await execute(target.url, MyCartDocument, {}, { token: await target.token(userId) });
      const applied = cart.data?.me?.cart.totalQuantity;
      if (applied === undefined) problems.push(`cart of ${userId} unreadable: ${JSON.stringify(cart.errors)}`);
      else if (applied < told.acknowledged || applied > told.acknowledged + told.unknown) {
        problems.push(`cart of ${userId} holds ${applied} units; acknowledged ${told.acknowledged}, unknown ${told.unknown}`);
      }
    }

    const [rows] = (await order.query(
      'SELECT c.user_id AS userId, c.idempotency_key AS idempotencyKey, o.id AS orderId FROM checkout c JOIN orders o ON o.checkout_id = c.id WHERE c.user_id LIKE ?',
      [mine],
    )) as unknown as [{ userId: string; idempotencyKey: string; orderId: string }[]];
    const ordersByKey = new Map<string, string[]>();
    for (const row of rows) ordersByKey.set(`${row.userId} ${row.idempotencyKey}`, [...(ordersByKey.get(`${row.userId} ${row.idempotencyKey}`) ?? []), row.orderId]);
    for (const [key, orders] of ordersByKey) if (orders.length > 1) problems.push(`idempotency key ${key} has ${orders.length} orders`);
    for (const [key, told] of ledger.checkouts) {
      const orders = ordersByKey.get(`${told.userId} ${key}`) ?? [];
      if (told.outcome === 'ok' && (orders.length !== 1 || orders[0] !== told.orderId)) {
        problems.push(`checkout ${key} of ${told.userId} was answered with order ${told.orderId}; the database has ${JSON.stringify(orders)}`);
      }
      if (told.outcome === 'refused' && orders.length > 0) problems.push(`checkout ${key} was refused (${told.code}) but placed ${orders.join(', ')}`);
    }

    const stock: ChaosVerdict['stock'] = [];
    for (const [variantId, initial] of initialStock) {
      const [[left]] = (await catalog.query('SELECT stock FROM product_variant WHERE id = ?', [variantId])) as unknown as [{ stock: number }[]];
      const [[took]] = (await order.query(
        'SELECT COALESCE(SUM(l.quantity), 0) AS ordered FROM order_line l JOIN orders o ON o.id = l.order_id WHERE o.user_id LIKE ? AND l.variant_id = ?',
        [mine, variantId],
      )) as unknown as [{ ordered: number }[]];
      const entry = { variantId, initial, remaining: Number(left.stock), ordered: Number(took.ordered) };
      stock.push(entry);
      if (entry.initial !== entry.remaining + entry.ordered) {
        problems.push(`stock of ${variantId} not conserved: set to ${initial}, ${entry.remaining} left, ${entry.ordered} ordered`);
      }
    }
    return { problems, carts: ledger.carts.size, checkoutKeys: ledger.checkouts.size, orders: rows.length, stock };
  } finally {
    await order.end();
    await catalog.end();
  }
}
