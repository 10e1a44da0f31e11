import type { DocumentNode } from 'graphql';
import { typeDefs as cart } from '@storefront/cart';
import { typeDefs as catalog } from '@storefront/catalog';
import { typeDefs as order } from '@storefront/order';
import type { SubgraphName } from '@storefront/contracts';

/** Every subgraph's SDL, by the name it has in the supergraph. */
export const SUBGRAPH_TYPE_DEFS: Record<SubgraphName, DocumentNode> = {
  catalog,
  cart,
  order,
};
