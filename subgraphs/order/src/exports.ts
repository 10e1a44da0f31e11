/**
 * What other packages (the harness, scripts) may use of the order service: its server factory,
 * configuration and schema. `src/index.ts` starts the process; importing this does not.
 */
export { createOrderServer, type OrderServer } from './server';
export { ORDER_ENV, loadOrderConfig, type OrderConfig } from './config';
export { typeDefs } from './type-defs';
