import { EntitySchema } from 'typeorm';

export interface ProductEntity {
  id: string;
  name: string;
  description: string;
  kind: string;
  /** Minor units of `currencyCode`. */
  priceAmount: number;
  currencyCode: string;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const ProductSchema = new EntitySchema<ProductEntity>({
  name: 'Product',
  tableName: 'product',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    name: { type: 'varchar', length: 200 },
    description: { type: 'text' },
    kind: { type: 'varchar', length: 32 },
    priceAmount: { name: 'price_amount', type: 'int' },
    currencyCode: { name: 'currency_code', type: 'varchar', length: 3 },
    archivedAt: { name: 'archived_at', type: 'datetime', precision: 3, nullable: true },
    createdAt: { name: 'created_at', type: 'datetime', precision: 3 },
    updatedAt: { name: 'updated_at', type: 'datetime', precision: 3 },
  },
});
