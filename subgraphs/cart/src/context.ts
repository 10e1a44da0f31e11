import type { BaseRequestContext } from '@storefront/service-kit';
import type { CartLoaders } from './loaders/cart.loaders';
import type { CartService } from './services/cart.service';

/** A user as other subgraphs reference it: only the id travels. */
export interface UserRef {
  id: string;
}

/** What every cart resolver receives. */
export interface CartContext extends BaseRequestContext {
  loaders: CartLoaders;
  carts: CartService;
}
