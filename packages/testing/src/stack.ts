import { execute, type GraphQLResponse } from '@storefront/client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startCart, type RunningCart } from './cart';
import { startCatalog, type RunningCatalog } from './catalog';
import { startGateway, tokenFor, type RunningGateway } from './gateway';
import { startOrder, type RunningOrder } from './order';

export interface Caller {
  userId: string;
  admin?: boolean;
}

export interface Stack {
  catalog: RunningCatalog;
  gateway: RunningGateway;
  /** The public endpoint clients use: the gateway. */
  url: string;
  /** Runs a typed operation through the gateway as an anonymous visitor, or signed in as `caller`. */
  run<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    caller?: Caller,
  ): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export interface CatalogStack extends Stack {}

export interface CartStack extends Stack {
  cart: RunningCart;
}

export interface ShopStack extends CartStack {
  order: RunningOrder;
}

export const ADMIN: Caller = { userId: 'admin-1', admin: true };
export const SHOPPER: Caller = { userId: 'shopper-1' };

function stack(catalog: RunningCatalog, gateway: RunningGateway, stopAll: () => Promise<void>): Stack {
  return {
    catalog,
    gateway,
    url: gateway.url,
    run: async (document, variables, caller) =>
      execute(gateway.url, document, variables, {
        token: caller ? await tokenFor(caller.userId, { admin: caller.admin }) : undefined,
      }),
    stop: stopAll,
  };
}

/** The catalog subgraph (own empty database) behind a gateway, both on free ports, over real HTTP. */
export async function startCatalogStack(): Promise<CatalogStack> {
  const catalog = await startCatalog();
  const gateway = await startGateway({ catalog: { url: catalog.url, secret: catalog.config.secret } });
  return stack(catalog, gateway, async () => {
    await gateway.stop();
    await catalog.stop();
  });
}

/** Catalog and cart subgraphs (own empty databases) behind a gateway. `cartEnv` tunes the cart (limits). */
export async function startCartStack(cartEnv: Record<string, string> = {}): Promise<CartStack> {
  const catalog = await startCatalog();
  const catalogEndpoint = { url: catalog.url, secret: catalog.config.secret };
  const cart = await startCart(catalogEndpoint, cartEnv);
  const gateway = await startGateway({ catalog: catalogEndpoint, cart: { url: cart.url, secret: cart.config.secret } });
  return {
    ...stack(catalog, gateway, async () => {
      await gateway.stop();
      await cart.stop();
      await catalog.stop();
    }),
    cart,
  };
}

/** Every subgraph (own empty databases) behind a gateway: the whole shop, in this process. */
export async function startShopStack(env: { cart?: Record<string, string>; order?: Record<string, string> } = {}): Promise<ShopStack> {
  const catalog = await startCatalog();
  const catalogEndpoint = { url: catalog.url, secret: catalog.config.secret };
  const cart = await startCart(catalogEndpoint, env.cart);
  const cartEndpoint = { url: cart.url, secret: cart.config.secret };
  const order = await startOrder({ catalog: catalogEndpoint, cart: cartEndpoint }, env.order);
  const gateway = await startGateway({ catalog: catalogEndpoint, cart: cartEndpoint, order: { url: order.url, secret: order.config.secret } });
  return {
    ...stack(catalog, gateway, async () => {
      await gateway.stop();
      await order.stop();
      await cart.stop();
      await catalog.stop();
    }),
    cart,
    order,
  };
}
