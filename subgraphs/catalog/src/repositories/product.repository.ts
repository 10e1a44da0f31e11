import type { ServiceContext } from '@storefront/service-kit';
import { Brackets, In } from 'typeorm';
import { ProductSchema, ProductVariantSchema, VariantAttributeSchema, type ProductEntity } from '../entities';

/** What the listing filters by, already checked and normalized by the service. */
export interface ProductListing {
  kind?: string;
  /** Lower case, LIKE-escaped with `LIKE_ESCAPE`, matched anywhere in the name. */
  search?: string;
  /** Every pair must hold on one variant for sale (size M *and* red), against the filter index. */
  attributes: { name: string; value: string }[];
}

export const LIKE_ESCAPE = '!';

const tableOf = (schema: { options: { tableName?: string } }) => schema.options.tableName!;

/** The `product` table. Products are never deleted: archived ones leave the listing and refuse writes. */
export class ProductRepository {
  find(ctx: ServiceContext, id: string): Promise<ProductEntity | null> {
    return ctx.manager.findOneBy(ProductSchema, { id });
  }

  byIds(ctx: ServiceContext, ids: string[]): Promise<ProductEntity[]> {
    return ctx.manager.findBy(ProductSchema, { id: In(ids) });
  }

  /**
   * Up to `take` products for sale matching `listing`, sorted by (name, id), after the product whose
   * sort key is `after`; and a counter of all that match, read only when asked for.
   */
  async page(
    ctx: ServiceContext,
    listing: ProductListing,
    after: [name: string, id: string] | null,
    take: number,
  ): Promise<{ rows: ProductEntity[]; count: () => Promise<number> }> {
    const query = ctx.manager.createQueryBuilder(ProductSchema, 'p').where('p.archivedAt IS NULL');
    if (listing.kind) query.andWhere('p.kind = :kind', { kind: listing.kind });
    if (listing.search) query.andWhere(`LOWER(p.name) LIKE :search ESCAPE '${LIKE_ESCAPE}'`, { search: `%${listing.search}%` });
    if (listing.attributes.length > 0) {
      const conditions = listing.attributes.map(
        (_, i) => `EXISTS (SELECT 1 FROM ${tableOf(VariantAttributeSchema)} a${i} WHERE a${i}.variant_id = v.id AND a${i}.name = :an${i} AND a${i}.value = :av${i})`,
      );
      query.andWhere(
        `EXISTS (SELECT 1 FROM ${tableOf(ProductVariantSchema)} v WHERE v.product_id = p.id AND v.removed_at IS NULL AND ${conditions.join(' AND ')})`,
        Object.fromEntries(listing.attributes.flatMap((a, i) => [[`an${i}`, a.name], [`av${i}`, a.value]])),
      );
    }
    const counter = query.clone();
    if (after) {
      const [name, id] = after;
      query.andWhere(
        new Brackets((q) => q.where('p.name > :afterName', { afterName: name }).orWhere('p.name = :afterName AND p.id > :afterId', { afterId: id })),
      );
    }
    const rows = await query.orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').take(take).getMany();
    return { rows, count: () => counter.getCount() };
  }

  async insert(tx: ServiceContext, product: ProductEntity): Promise<void> {
    await tx.manager.insert(ProductSchema, product);
  }

  /** Also what locks the product's row first in a transaction (MySQL), before any read takes a snapshot. */
  async update(tx: ServiceContext, id: string, changes: Partial<ProductEntity>): Promise<void> {
    await tx.manager.update(ProductSchema, { id }, changes);
  }
}
