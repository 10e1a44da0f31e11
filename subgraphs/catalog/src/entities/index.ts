import { ProductVariantSchema } from './product-variant.entity';
import { ProductSchema } from './product.entity';
import { VariantAttributeSchema } from './variant-attribute.entity';

export * from './product-variant.entity';
export * from './product.entity';
export * from './variant-attribute.entity';

export const CATALOG_ENTITIES = [ProductSchema, ProductVariantSchema, VariantAttributeSchema];
