import { SUBGRAPHS } from '@storefront/contracts';
import {
  LIST_SIZE_ENV,
  loadEnv,
  wholeNumber,
  loadSubgraphConfig,
  subgraphClientEnvShape,
  type SubgraphConfig,
} from '@storefront/service-kit';

export interface CartConfig extends SubgraphConfig {
  maxLineQuantity: number;
  maxLines: number;
  /** Guest carts untouched this long are removed. User carts never are. */
  guestCartTtlDays: number;
  /** The catalog's internal API: current prices, stock and availability. */
  catalog: { url: string; secret: string };
}

const bounded = (fallback: number, max: number) => wholeNumber(1, max).default(fallback);

/** Variables only the cart reads, on top of every subgraph's (`subgraphEnvShape`). */
export const CART_ENV = {
  CART_MAX_LINE_QUANTITY: bounded(99, 10_000),
  // Shared with the gateway, whose cost estimate assumes a cart holds at most this many lines.
  CART_MAX_LINES: LIST_SIZE_ENV.CART_MAX_LINES,
  CART_GUEST_TTL_DAYS: bounded(30, 3_650),
  ...subgraphClientEnvShape('catalog', SUBGRAPHS.catalog.port),
};

export function loadCartConfig(env: Record<string, string | undefined> = process.env): CartConfig {
  const base = loadSubgraphConfig('cart', SUBGRAPHS.cart.port, env);
  const own = loadEnv(CART_ENV, env) as Record<string, unknown>;
  return {
    ...base,
    maxLineQuantity: own.CART_MAX_LINE_QUANTITY as number,
    maxLines: own.CART_MAX_LINES as number,
    guestCartTtlDays: own.CART_GUEST_TTL_DAYS as number,
    catalog: { url: own.CATALOG_URL as string, secret: own.CATALOG_SUBGRAPH_SECRET as string },
  };
}
