import type { BaseRequestContext } from '@storefront/service-kit';
import type { OrderLoaders } from './loaders/order.loaders';
import type { CheckoutService } from './services/checkout.service';
import type { OrderService } from './services/order.service';

/** A user as other subgraphs reference it: only the id travels. */
export interface UserRef {
  id: string;
}

/** A variant as this subgraph references it; the catalog resolves the rest. */
export interface VariantRef {
  id: string;
}

/** What every order resolver receives. */
export interface OrderContext extends BaseRequestContext {
  loaders: OrderLoaders;
  orders: OrderService;
  checkouts: CheckoutService;
}
