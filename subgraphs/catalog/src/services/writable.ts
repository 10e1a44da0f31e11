import type { ServiceContext } from '@storefront/service-kit';
import type { ProductEntity, ProductVariantEntity } from '../entities';
import type { CatalogRepositories } from '../repositories';
import { refuse } from './catalog-errors';

/** The product to change, or a refusal: unknown ids and archived products cannot change. */
export async function writableProduct(tx: ServiceContext, rows: CatalogRepositories, id: string, field: string[]): Promise<ProductEntity> {
  const product = await rows.products.find(tx, id);
  if (!product) refuse('PRODUCT_NOT_FOUND', field, `No product has id ${id}.`);
  if (product.archivedAt) refuse('PRODUCT_ARCHIVED', field, `Product ${id} is archived.`);
  return product;
}

/** The variant to change, or a refusal: unknown and removed variants cannot change. */
export async function writableVariant(tx: ServiceContext, rows: CatalogRepositories, id: string, field = ['id']): Promise<ProductVariantEntity> {
  const variant = await rows.variants.find(tx, id);
  if (!variant || variant.removedAt) refuse('VARIANT_NOT_FOUND', field, `No variant for sale has id ${id}.`);
  return variant;
}
