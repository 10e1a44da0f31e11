import { CreateCart1764028900000 } from './1764028900000-create-cart';
import { CartCheckout1764029100000 } from './1764029100000-cart-checkout';
import { BinaryIdentifiersCart1764029400000 } from './1764029400000-binary-identifiers';
import { CreateLeases1764900000000 } from '@storefront/service-kit';
import { ClaimedLines1764029400050 } from './1764029400050-claimed-lines';

/** In order. Never edit a migration that has shipped: add a new one. */
export const CART_MIGRATIONS = [
  CreateCart1764028900000,
  CartCheckout1764029100000,
  BinaryIdentifiersCart1764029400000,
  ClaimedLines1764029400050,
  CreateLeases1764900000000,
];
