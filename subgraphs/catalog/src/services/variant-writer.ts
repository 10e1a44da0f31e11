import { randomUUID } from 'node:crypto';
import { parseAttributesInput } from '@storefront/product-kinds';
import { isUniqueViolation, type ServiceContext } from '@storefront/service-kit';
import type { ProductEntity, ProductVariantEntity } from '../entities';
import type { VariantInput } from '../generated/resolvers-types';
import type { VariantRepository } from '../repositories';
import { refuse, refuseAll, userError, type CatalogUserError } from './catalog-errors';
import { checkMoney, checkSku, checkStock, normalizeSku } from './catalog-input';

/** Checks new variants of `product` against its kind and each other; returns rows ready to insert. */
export function prepareVariants(
  product: ProductEntity,
  inputs: VariantInput[],
  field: (index: number) => string[],
  now: Date,
  firstPosition = 0,
): { rows: ProductVariantEntity[]; errors: CatalogUserError[] } {
  const errors: CatalogUserError[] = [];
  const rows: ProductVariantEntity[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const at = field(index);
    const sku = normalizeSku(input.sku);
    errors.push(...checkSku(sku, [...at, 'sku']), ...checkStock(input.stock ?? 0, [...at, 'stock']));
    if (seen.has(sku)) errors.push(userError('DUPLICATE_SKU', [...at, 'sku'], `SKU ${sku} is given twice.`));
    seen.add(sku);
    if (input.priceOverride) errors.push(...checkMoney(input.priceOverride, [...at, 'priceOverride'], product.currencyCode));
    const attributes = parseAttributesInput(product.kind, input.attributes as Record<string, unknown>);
    if (!attributes.ok) {
      errors.push(userError(attributes.code, [...at, ...attributes.field], attributes.message));
      return;
    }
    rows.push({
      id: randomUUID(),
      productId: product.id,
      sku,
      kind: product.kind,
      attributes: attributes.attributes,
      priceOverride: input.priceOverride?.amount ?? null,
      stock: input.stock ?? 0,
      position: firstPosition + index,
      removedAt: null,
      createdAt: now,
      updatedAt: now,
    });
  });
  return { rows, errors };
}

/** Refuses SKUs another variant already has (removed variants keep theirs: orders show them). */
export async function assertSkusFree(
  tx: ServiceContext,
  variants: VariantRepository,
  skus: { sku: string; field: string[] }[],
  exceptVariantId?: string,
): Promise<void> {
  if (skus.length === 0) return;
  const taken = await variants.holdersOf(tx, skus.map((s) => s.sku));
  const errors = taken
    .filter((row) => row.id !== exceptVariantId)
    .map((row) => {
      const at = skus.find((s) => s.sku === row.sku)?.field ?? ['sku'];
      return userError('DUPLICATE_SKU', at, `Another variant already has SKU ${row.sku}.`);
    });
  if (errors.length > 0) refuseAll(errors);
}

/** Inserts variants and their attribute index rows; a SKU taken by a concurrent write is refused. */
export async function insertVariants(tx: ServiceContext, variants: VariantRepository, rows: ProductVariantEntity[]): Promise<void> {
  try {
    await variants.insert(tx, rows);
  } catch (error) {
    if (isUniqueViolation(error)) refuse('DUPLICATE_SKU', ['sku'], 'Another variant already has this SKU.');
    throw error;
  }
}
