import { CreateCart1764028900000 } from './1764028900000-create-cart';
import { CartCheckout1764029100000 } from './1764029100000-cart-checkout';

/** In order. Never edit a migration that has shipped: add a new one. */
export const CART_MIGRATIONS = [CreateCart1764028900000, CartCheckout1764029100000];
