import { runMigrateCommand } from '@storefront/service-kit';
import { loadCartConfig } from './config';
import { openCartDatabase } from './server';

/** `node subgraphs/cart/dist/migrate.js`: the cart database at this release's schema (see runMigrateCommand). */
runMigrateCommand('cart', () => loadCartConfig(), openCartDatabase);
