import { ProductVariantSchema } from './product-variant.entity';
import { ProductSchema } from './product.entity';
import { StockReservationOutcomeSchema } from './stock-reservation-outcome.entity';
import { StockReservationSchema } from './stock-reservation.entity';
import { VariantAttributeSchema } from './variant-attribute.entity';

export * from './product-variant.entity';
export * from './product.entity';
export * from './stock-reservation-outcome.entity';
export * from './stock-reservation.entity';
export * from './variant-attribute.entity';

export const CATALOG_ENTITIES = [ProductSchema, ProductVariantSchema, VariantAttributeSchema, StockReservationSchema, StockReservationOutcomeSchema];
