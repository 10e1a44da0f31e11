import { CATALOG_ROUTES, LOOKUP_LIMIT, type CatalogVariant } from '@storefront/service-kit';
import type { Router } from 'express';
import { In, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { ProductSchema, ProductVariantSchema } from '../entities';
import { MAX_STOCK } from '../services/catalog-input';
import type { StockService } from '../services/stock.service';

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

/** Variants with their current price and availability: two queries however many ids. */
export async function lookupVariants(manager: EntityManager, ids: string[]): Promise<CatalogVariant[]> {
  if (ids.length === 0) return [];
  const variants = await manager.findBy(ProductVariantSchema, { id: In([...new Set(ids)]) });
  const products = await manager.findBy(ProductSchema, { id: In([...new Set(variants.map((v) => v.productId))]) });
  const productById = new Map(products.map((p) => [p.id, p]));
  return variants.flatMap((v) => {
    const product = productById.get(v.productId);
    if (!product) return [];
    return [
      {
        id: v.id,
        productId: product.id,
        productName: product.name,
        sku: v.sku,
        kind: v.kind,
        attributes: v.attributes,
        price: { amount: v.priceOverride ?? product.priceAmount, currencyCode: product.currencyCode },
        stock: v.stock,
        available: v.removedAt === null && product.archivedAt === null,
      },
    ];
  });
}

/** The catalog's internal API (see CatalogClient in the service kit). */
export function catalogInternalRoutes(manager: EntityManager, stock: StockService) {
  return (router: Router) => {
    router.post(CATALOG_ROUTES.lookupVariants, async (req, res) => {
      const body = lookupBody.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: body.error.issues[0].message });
        return;
      }
      res.json({ variants: await lookupVariants(manager, body.data.ids) });
    });
    router.post(CATALOG_ROUTES.reserveStock, async (req, res) => {
      const body = reserveBody.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: body.error.issues[0].message });
        return;
      }
      // Refused reservations answer 200 too: `problems` are an answer for the shopper, not a failure.
      res.json(await stock.reserve(body.data.reservationId, body.data.items));
    });
  };
}
