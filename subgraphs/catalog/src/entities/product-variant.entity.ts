import { EntitySchema } from 'typeorm';
import type { Attributes } from '@storefront/product-kinds';
import type { Money } from '@storefront/service-kit';
import type { ProductEntity } from './product.entity';

export interface ProductVariantEntity {
  id: string;
  productId: string;
  sku: string;
  /** The product's kind, kept on the row so attributes can be read without loading the product. */
  kind: string;
  /** Validated by the kind on every write; stored as JSON text. */
  attributes: Attributes;
  /** Minor units in the product's currency; null means the product's price. */
  priceOverride: number | null;
  stock: number;
  /** Display order within the product: the order variants were given in. */
  position: number;
  removedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ProductVariantSchema = new EntitySchema<ProductVariantEntity>({
  name: 'ProductVariant',
  tableName: 'product_variant',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    productId: { name: 'product_id', type: 'varchar', length: 36 },
    sku: { type: 'varchar', length: 64 },
    kind: { type: 'varchar', length: 32 },
    attributes: { type: 'simple-json' },
    priceOverride: { name: 'price_override', type: 'int', nullable: true },
    stock: { type: 'int' },
    position: { type: 'int' },
    removedAt: { name: 'removed_at', type: 'datetime', precision: 3, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});

/** What a variant sells for: its own override, otherwise its product's price, in the product's currency. */
export function variantPrice(variant: ProductVariantEntity, product: ProductEntity): Money {
  return { amount: variant.priceOverride ?? product.priceAmount, currencyCode: product.currencyCode };
}
