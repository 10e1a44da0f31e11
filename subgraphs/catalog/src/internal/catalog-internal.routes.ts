import { CATALOG_ROUTES, LOOKUP_LIMIT, type CatalogVariant } from '@storefront/service-kit';
import type { Router } from 'express';
import { In, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { ProductSchema, ProductVariantSchema } from '../entities';

const lookupBody = z.object({ ids: z.array(z.string().max(64)).max(LOOKUP_LIMIT) });

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
export function catalogInternalRoutes(manager: EntityManager) {
  return (router: Router) => {
    router.post(CATALOG_ROUTES.lookupVariants, async (req, res) => {
      const body = lookupBody.safeParse(req.body);
      if (!body.success) {
        res.status(400).json({ error: body.error.issues[0].message });
        return;
      }
      res.json({ variants: await lookupVariants(manager, body.data.ids) });
    });
  };
}
