import { runMigrateCommand } from '@storefront/service-kit';
import { loadOrderConfig } from './config';
import { openOrderDatabase } from './server';

/** `node subgraphs/order/dist/migrate.js`: the order database at this release's schema (see runMigrateCommand). */
runMigrateCommand('order', () => loadOrderConfig(), openOrderDatabase);
