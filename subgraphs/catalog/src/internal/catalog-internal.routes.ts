import { CATALOG_ROUTES, LOOKUP_LIMIT, validated } from '@storefront/service-kit';
import type { Router } from 'express';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { MAX_STOCK } from '../services/catalog-input';
import type { StockService } from '../services/stock.service';
import { lookupVariants } from '../services/variant-lookup';

const lookupBody = z.object({ ids: z.array(z.string().max(64)).max(LOOKUP_LIMIT) });

const reserveBody = z.object({
  // No spaces: MySQL ignores trailing ones when comparing keys, SQLite does not.
  reservationId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'reservationId must be 1-64 letters, digits, _ . : or -'),
  items: z
    .array(
      z.object({
        variantId: z.string().min(1).max(64),
        // No variant can stock more; merged repeats above it are refused as insufficient, never stored.
        quantity: z.number().int().positive().max(MAX_STOCK),
      }),
    )
    .min(1)
    .max(LOOKUP_LIMIT),
});

/** The catalog's internal API (see CatalogClient in the service kit). */
export function catalogInternalRoutes(manager: EntityManager, stock: StockService) {
  return (router: Router) => {
    router.post(
      CATALOG_ROUTES.lookupVariants,
      validated(lookupBody, async ({ ids }) => ({ variants: await lookupVariants(manager, ids) })),
    );
    // Refused reservations answer 200 too: `problems` are an answer for the shopper, not a failure.
    router.post(
      CATALOG_ROUTES.reserveStock,
      validated(reserveBody, ({ reservationId, items }) => stock.reserve(reservationId, items)),
    );
  };
}
