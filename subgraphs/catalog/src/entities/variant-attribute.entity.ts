import { EntitySchema } from 'typeorm';

/**
 * One row per filterable attribute of a variant (the kind says which), normalized to lower case. The
 * JSON column stays the source of truth; this side table exists so attribute filters use an index on
 * SQLite and MySQL alike instead of dialect-specific JSON functions.
 */
export interface VariantAttributeEntity {
  variantId: string;
  productId: string;
  name: string;
  value: string;
}

export const VariantAttributeSchema = new EntitySchema<VariantAttributeEntity>({
  name: 'VariantAttribute',
  tableName: 'variant_attribute',
  columns: {
    variantId: { name: 'variant_id', type: 'varchar', length: 36, primary: true },
    name: { type: 'varchar', length: 64, primary: true },
    productId: { name: 'product_id', type: 'varchar', length: 36 },
    value: { type: 'varchar', length: 191 },
  },
});
