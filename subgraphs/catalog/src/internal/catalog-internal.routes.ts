import { CATALOG_API } from '@storefront/contracts';
import { serveRoute } from '@storefront/service-kit';
import type { Router } from 'express';
import type { EntityManager } from 'typeorm';
import type { StockService } from '../services/stock.service';
import { lookupVariants } from '../services/variant-lookup';

/** The catalog's internal API (`CATALOG_API` in the contracts). */
export function catalogInternalRoutes(manager: EntityManager, stock: StockService) {
  return (router: Router) => {
    serveRoute(router, CATALOG_API.lookupVariants, async ({ ids }) => ({ variants: await lookupVariants(manager, ids) }));
    // Refused reservations answer 200 too: `problems` are an answer for the shopper, not a failure.
    serveRoute(router, CATALOG_API.reserveStock, ({ reservationId, items }) => stock.reserve(reservationId, items));
  };
}
