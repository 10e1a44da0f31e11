import { CartCheckoutRepository } from './cart-checkout.repository';
import { CartLineRepository } from './cart-line.repository';
import { CartRepository } from './cart.repository';

export { CartCheckoutRepository, CartLineRepository, CartRepository };

/** The cart service's tables, one repository per aggregate part: services hold the rules, these the queries. */
export interface CartRepositories {
  carts: CartRepository;
  lines: CartLineRepository;
  checkouts: CartCheckoutRepository;
}

export function createCartRepositories(): CartRepositories {
  return { carts: new CartRepository(), lines: new CartLineRepository(), checkouts: new CartCheckoutRepository() };
}
