import { CATALOG_API } from '@storefront/contracts';
import type { ServeRoute } from '@storefront/service-kit';
import type { StockService } from '../services/stock.service';
import type { VariantService } from '../services/variant.service';

/** The catalog's internal API (`CATALOG_API` in the contracts). */
export function catalogInternalRoutes(variants: VariantService, stock: StockService) {
  return (serve: ServeRoute) => {
    serve(CATALOG_API.lookupVariants, async (ctx, { ids }) => ({ variants: await variants.lookup(ctx, ids) }));
    // Refused reservations answer 200 too: `problems` are an answer for the shopper, not a failure.
    serve(CATALOG_API.reserveStock, (ctx, { reservationId, items }) => stock.reserve(ctx, reservationId, items));
  };
}
