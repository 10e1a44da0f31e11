import { LeaseSchema } from '@storefront/service-kit';
import { CartCheckoutSchema } from './cart-checkout.entity';
import { CartLineSchema } from './cart-line.entity';
import { CartSchema } from './cart.entity';

export * from './cart-checkout.entity';
export * from './cart-line.entity';
export * from './cart.entity';

export const CART_ENTITIES = [CartSchema, CartLineSchema, CartCheckoutSchema, LeaseSchema];
