import { CreateLeases1764900000000 } from '@storefront/service-kit';
import { CreateOrders1764029200000 } from './1764029200000-create-orders';
import { BinaryIdentifiersOrder1764029400200 } from './1764029400200-binary-identifiers';
import { RequestIds1764029400300 } from './1764029400300-request-ids';

/** In order. Never edit a migration that has shipped: add a new one. */
export const ORDER_MIGRATIONS = [CreateOrders1764029200000, BinaryIdentifiersOrder1764029400200, RequestIds1764029400300, CreateLeases1764900000000];
