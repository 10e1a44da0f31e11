import { parseAttributesInput } from '@storefront/product-kinds';
import type { ServiceContext } from '@storefront/service-kit';
import type { CatalogVariant } from '@storefront/contracts';
import type { ProductVariantEntity } from '../entities';
import type { UpdateVariantInput, VariantInput } from '../generated/resolvers-types';
import type { CatalogRepositories } from '../repositories';
import { refuseAll, refusable, userError, type CatalogUserError, type Outcome } from './catalog-errors';
import { checkMoney, checkSku, checkStock, normalizeSku, tooManyVariants } from './catalog-input';
import { assertSkusFree, insertVariants, prepareVariants } from './variant-writer';
import { writableProduct, writableVariant } from './writable';

export class VariantService {
  constructor(
    private readonly rows: CatalogRepositories,
    private readonly maxVariants: number,
  ) {}

  /** Variants as other services see them (the internal API): current price, stock and availability. */
  lookup(ctx: ServiceContext, ids: string[]): Promise<CatalogVariant[]> {
    return this.rows.variants.asSeenByOthers(ctx, ids);
  }

  add(ctx: ServiceContext, productId: string, input: VariantInput): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const now = new Date();
        // Writing the product row first locks it before any read takes a snapshot (MySQL), so concurrent
        // adds to one product count its variants one after the other and the cap holds.
        await this.rows.products.update(tx, productId, { updatedAt: now });
        const product = await writableProduct(tx, this.rows, productId, ['productId']);
        const forSale = await this.rows.variants.countOf(tx, productId, { forSale: true });
        if (forSale >= this.maxVariants) refuseAll([tooManyVariants(['productId'], forSale + 1, this.maxVariants)]);
        const position = await this.rows.variants.countOf(tx, productId, { forSale: false });
        const { rows, errors } = prepareVariants(product, [input], () => ['input'], now, position);
        if (errors.length > 0) refuseAll(errors);
        await assertSkusFree(tx, this.rows.variants, [{ sku: rows[0].sku, field: ['input', 'sku'] }]);
        await insertVariants(tx, this.rows.variants, rows);
        return rows[0];
      }),
    );
  }

  update(ctx: ServiceContext, id: string, input: UpdateVariantInput): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const variant = await writableVariant(tx, this.rows, id);
        const product = await writableProduct(tx, this.rows, variant.productId, ['id']);
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
        if (changes.sku && changes.sku !== variant.sku) await assertSkusFree(tx, this.rows.variants, [{ sku: changes.sku, field: ['input', 'sku'] }], id);
        await this.rows.variants.update(tx, id, changes);
        const updated = { ...variant, ...changes };
        if (changes.attributes) await this.rows.variants.reindex(tx, [updated]);
        await this.rows.products.update(tx, product.id, { updatedAt: changes.updatedAt });
        return updated;
      }),
    );
  }

  remove(ctx: ServiceContext, id: string): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const variant = await writableVariant(tx, this.rows, id);
        const now = new Date();
        await this.rows.variants.update(tx, id, { removedAt: now, updatedAt: now });
        await this.rows.products.update(tx, variant.productId, { updatedAt: now });
        return { ...variant, removedAt: now, updatedAt: now };
      }),
    );
  }

  setStock(ctx: ServiceContext, id: string, stock: number): Promise<Outcome<ProductVariantEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const errors = checkStock(stock, ['stock']);
        if (errors.length > 0) refuseAll(errors);
        const variant = await writableVariant(tx, this.rows, id, ['variantId']);
        const now = new Date();
        await this.rows.variants.update(tx, id, { stock, updatedAt: now });
        return { ...variant, stock, updatedAt: now };
      }),
    );
  }
}
