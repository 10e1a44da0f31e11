import { parseAttributesInput } from '@storefront/product-kinds';
import type { ServiceContext } from '@storefront/service-kit';
import { IsNull, type EntityManager } from 'typeorm';
import { ProductSchema, ProductVariantSchema, type ProductVariantEntity } from '../entities';
import type { UpdateVariantInput, VariantInput } from '../generated/resolvers-types';
import { refuse, refuseAll, refusable, userError, type CatalogUserError, type Outcome } from './catalog-errors';
import { checkMoney, checkSku, checkStock } from './catalog-input';
import { loadWritableProduct, tooManyVariants } from './product.service';
import { assertSkusFree, insertVariants, normalizeSku, prepareVariants, writeAttributeIndex } from './variant-writer';

export class VariantService {
  constructor(private readonly maxVariants: number) {}

  add(ctx: ServiceContext, productId: string, input: VariantInput): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const now = new Date();
        // Writing the product row first locks it before any read takes a snapshot (MySQL), so concurrent
        // adds to one product count its variants one after the other and the cap holds.
        await manager.update(ProductSchema, { id: productId }, { updatedAt: now });
        const product = await loadWritableProduct(manager, productId, ['productId']);
        const forSale = await manager.count(ProductVariantSchema, { where: { productId, removedAt: IsNull() } });
        if (forSale >= this.maxVariants) refuseAll([tooManyVariants(['productId'], forSale + 1, this.maxVariants)]);
        const position = await manager.count(ProductVariantSchema, { where: { productId } });
        const { rows, errors } = prepareVariants(product, [input], () => ['input'], now, position);
        if (errors.length > 0) refuseAll(errors);
        await assertSkusFree(manager, [{ sku: rows[0].sku, field: ['input', 'sku'] }]);
        await insertVariants(manager, rows);
        return rows[0];
      }),
    );
  }

  update(ctx: ServiceContext, id: string, input: UpdateVariantInput): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const variant = await loadWritableVariant(manager, id);
        const product = await loadWritableProduct(manager, variant.productId, ['id']);
        const errors: CatalogUserError[] = [];
        const changes: Partial<ProductVariantEntity> = { updatedAt: new Date() };
        if (input.sku != null) {
          changes.sku = normalizeSku(input.sku);
          errors.push(...checkSku(changes.sku, ['input', 'sku']));
        }
        if (input.priceOverride && input.clearPriceOverride) {
          errors.push(userError('INVALID_PRICE', ['input', 'priceOverride'], 'Give priceOverride or clearPriceOverride, not both.'));
        } else if (input.priceOverride) {
          errors.push(...checkMoney(input.priceOverride, ['input', 'priceOverride'], product.currencyCode));
          changes.priceOverride = input.priceOverride.amount;
        } else if (input.clearPriceOverride) {
          changes.priceOverride = null;
        }
        if (input.attributes) {
          const parsed = parseAttributesInput(variant.kind, input.attributes as Record<string, unknown>);
          if (parsed.ok) changes.attributes = parsed.attributes;
          else errors.push(userError(parsed.code, ['input', ...parsed.field], parsed.message));
        }
        if (errors.length > 0) refuseAll(errors);
        if (changes.sku && changes.sku !== variant.sku) await assertSkusFree(manager, [{ sku: changes.sku, field: ['input', 'sku'] }], id);
        await manager.update(ProductVariantSchema, { id }, changes);
        const updated = { ...variant, ...changes };
        if (changes.attributes) await writeAttributeIndex(manager, [updated]);
        await manager.update(ProductSchema, { id: product.id }, { updatedAt: changes.updatedAt });
        return updated;
      }),
    );
  }

  remove(ctx: ServiceContext, id: string): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const variant = await loadWritableVariant(manager, id);
        const now = new Date();
        await manager.update(ProductVariantSchema, { id }, { removedAt: now, updatedAt: now });
        await manager.update(ProductSchema, { id: variant.productId }, { updatedAt: now });
        return { ...variant, removedAt: now, updatedAt: now };
      }),
    );
  }

  setStock(ctx: ServiceContext, id: string, stock: number): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const errors = checkStock(stock, ['stock']);
        if (errors.length > 0) refuseAll(errors);
        const variant = await loadWritableVariant(manager, id, ['variantId']);
        const now = new Date();
        await manager.update(ProductVariantSchema, { id }, { stock, updatedAt: now });
        return { ...variant, stock, updatedAt: now };
      }),
    );
  }
}

async function loadWritableVariant(manager: EntityManager, id: string, field = ['id']): Promise<ProductVariantEntity> {
  const variant = await manager.findOneBy(ProductVariantSchema, { id });
  if (!variant || variant.removedAt) refuse('VARIANT_NOT_FOUND', field, `No variant for sale has id ${id}.`);
  return variant;
}
