import { SUBGRAPHS } from '@storefront/contracts';
import { ConfigError, loadEnv, loadSubgraphConfig, subgraphClientEnvShape, type SubgraphConfig } from '@storefront/service-kit';
import { z } from 'zod';
import { CHECKOUT_STEPS, type CheckoutStep } from './services/fault-injection';

export interface OrderConfig extends SubgraphConfig {
  catalog: { url: string; secret: string };
  cart: { url: string; secret: string };
  /** A checkout that claimed no cart and stayed idle this long is abandoned (README "Checkout states"). */
  checkoutAbandonAfterMs: number;
  /** Test-only: kill the process at this checkout step (see fault-injection.ts). */
  faultAt?: CheckoutStep;
}

/** Variables only the order service reads, on top of every subgraph's (`subgraphEnvShape`). */
export const ORDER_ENV = {
  ORDER_FAULT_AT: z.enum(CHECKOUT_STEPS).optional(),
  ORDER_CHECKOUT_ABANDON_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  ...subgraphClientEnvShape('catalog', SUBGRAPHS.catalog.port),
  ...subgraphClientEnvShape('cart', SUBGRAPHS.cart.port),
};

export function loadOrderConfig(env: Record<string, string | undefined> = process.env): OrderConfig {
  const base = loadSubgraphConfig('order', SUBGRAPHS.order.port, env);
  const own = loadEnv(ORDER_ENV, env) as Record<string, unknown>;
  const faultAt = own.ORDER_FAULT_AT as CheckoutStep | undefined;
  if (faultAt && base.nodeEnv === 'production') {
    throw new ConfigError(['ORDER_FAULT_AT: fault injection kills the service; it is refused in production']);
  }
  return {
    ...base,
    catalog: { url: own.CATALOG_URL as string, secret: own.CATALOG_SUBGRAPH_SECRET as string },
    cart: { url: own.CART_URL as string, secret: own.CART_SUBGRAPH_SECRET as string },
    checkoutAbandonAfterMs: (own.ORDER_CHECKOUT_ABANDON_AFTER_SECONDS as number) * 1_000,
    faultAt,
  };
}
