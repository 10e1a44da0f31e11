import { attributesForGraphQL, getKind } from '@storefront/product-kinds';
import { orderNumber } from '../entities';
import type { OrderConnectionResolvers, OrderLineResolvers, OrderResolvers } from '../generated/resolvers-types';

export const Order: OrderResolvers = {
  number: (order) => orderNumber(order),
  total: (order) => ({ amount: order.totalAmount, currencyCode: order.currencyCode }),
  lines: (order, _, { loaders }) => loaders.linesOfOrder.load(order.id),
};

export const OrderLine: OrderLineResolvers = {
  kind: (line) => getKind(line.kind).kind,
  variant: (line) => ({ id: line.variantId }),
  unitPrice: (line) => ({ amount: line.unitPrice, currencyCode: line.currencyCode }),
  lineTotal: (line) => ({ amount: line.lineTotal, currencyCode: line.currencyCode }),
  // The snapshot, resolved by the same kind registry as the catalog: the same union members.
  attributes: (line) => attributesForGraphQL(line.kind, line.attributes),
};

export const OrderConnection: OrderConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};
