import { CreateCart1764028900000 } from './1764028900000-create-cart';

/** In order. Never edit a migration that has shipped: add a new one. */
export const CART_MIGRATIONS = [CreateCart1764028900000];
