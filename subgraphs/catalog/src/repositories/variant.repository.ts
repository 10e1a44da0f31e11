import type { CatalogVariant } from '@storefront/contracts';
import { filterableValues } from '@storefront/product-kinds';
import type { ServiceContext } from '@storefront/service-kit';
import { In, IsNull } from 'typeorm';
import { ProductSchema, ProductVariantSchema, VariantAttributeSchema, variantPrice, type ProductVariantEntity } from '../entities';

/** The `product_variant` table and its filter index (`variant_attribute`), written together. */
export class VariantRepository {
  find(ctx: ServiceContext, id: string): Promise<ProductVariantEntity | null> {
    return ctx.manager.findOneBy(ProductVariantSchema, { id });
  }

  byIds(ctx: ServiceContext, ids: string[]): Promise<ProductVariantEntity[]> {
    return ctx.manager.findBy(ProductVariantSchema, { id: In(ids) });
  }

  bySkus(ctx: ServiceContext, skus: string[]): Promise<ProductVariantEntity[]> {
    return ctx.manager.findBy(ProductVariantSchema, { sku: In(skus) });
  }

  /** The variants for sale of these products, each product's in display order. */
  forSaleOf(ctx: ServiceContext, productIds: string[]): Promise<ProductVariantEntity[]> {
    return ctx.manager.find(ProductVariantSchema, { where: { productId: In(productIds), removedAt: IsNull() }, order: { position: 'ASC' } });
  }

  /** A product's variants: for sale only, or every one ever added (positions keep counting). */
  countOf(ctx: ServiceContext, productId: string, { forSale }: { forSale: boolean }): Promise<number> {
    return ctx.manager.count(ProductVariantSchema, { where: { productId, ...(forSale ? { removedAt: IsNull() } : {}) } });
  }

  /** Which of these SKUs any variant has (removed ones included), and whose. */
  holdersOf(ctx: ServiceContext, skus: string[]): Promise<Pick<ProductVariantEntity, 'id' | 'sku'>[]> {
    return ctx.manager.find(ProductVariantSchema, { select: { id: true, sku: true }, where: { sku: In(skus) } });
  }

  /** Variants and their filter index rows; fails with a unique violation on a SKU taken meanwhile. */
  async insert(tx: ServiceContext, rows: ProductVariantEntity[]): Promise<void> {
    if (rows.length === 0) return;
    await tx.manager.insert(ProductVariantSchema, rows);
    await this.reindex(tx, rows);
  }

  async update(tx: ServiceContext, id: string, changes: Partial<ProductVariantEntity>): Promise<void> {
    await tx.manager.update(ProductVariantSchema, { id }, changes);
  }

  /** Rewrites the filter index of these variants from their attributes. */
  async reindex(tx: ServiceContext, variants: ProductVariantEntity[]): Promise<void> {
    await tx.manager.delete(VariantAttributeSchema, { variantId: In(variants.map((v) => v.id)) });
    const rows = variants.flatMap((v) =>
      filterableValues(v.kind, v.attributes).map(({ name, value }) => ({ variantId: v.id, productId: v.productId, name, value })),
    );
    if (rows.length > 0) await tx.manager.insert(VariantAttributeSchema, rows);
  }

  /**
   * Takes `quantity` of a variant's stock if it still has that much: the condition is the guard, since
   * on MySQL another reservation may have taken the stock since it was read. False when it had not.
   */
  async takeStock(tx: ServiceContext, variantId: string, quantity: number, now: Date): Promise<boolean> {
    const result = await tx.manager
      .createQueryBuilder()
      .update(ProductVariantSchema)
      .set({ stock: () => 'stock - :quantity', updatedAt: now })
      .where('id = :variantId AND stock >= :quantity', { variantId, quantity })
      .execute();
    return result.affected === 1;
  }

  /** Variants as other services see them, with current price and availability: two queries however many ids. */
  async asSeenByOthers(ctx: ServiceContext, ids: string[]): Promise<CatalogVariant[]> {
    if (ids.length === 0) return [];
    const variants = await this.byIds(ctx, [...new Set(ids)]);
    const products = await ctx.manager.findBy(ProductSchema, { id: In([...new Set(variants.map((v) => v.productId))]) });
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
          price: variantPrice(v, product),
          stock: v.stock,
          available: v.removedAt === null && product.archivedAt === null,
        },
      ];
    });
  }
}
