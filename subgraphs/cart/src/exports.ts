/**
 * What other packages (the harness, scripts, the shared migration tests) may use of the cart: its server
 * factory, configuration, schema and database mapping. `src/index.ts` starts the process; importing this
 * does not.
 */
export { createCartServer, type CartServer } from './server';
export { CART_ENV, loadCartConfig, type CartConfig } from './config';
export { typeDefs } from './type-defs';
export { CART_ENTITIES } from './entities';
export { CART_MIGRATIONS } from './migrations';
