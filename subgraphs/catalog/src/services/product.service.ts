import { randomUUID } from 'node:crypto';
import { filterableNames, findKind, getKind, normalizeFilterValue } from '@storefront/product-kinds';
import {
  badInput,
  checkedList,
  checkedText,
  connectionFrom,
  CURSOR_PARTS,
  decodeCursor,
  INPUT_LIMITS,
  pageSize,
  type Connection,
  type ServiceContext,
} from '@storefront/service-kit';
import { z } from 'zod';
import { Brackets, type EntityManager } from 'typeorm';
import { ProductSchema, type ProductEntity } from '../entities';
import type { CreateProductInput, ProductFilter, UpdateProductInput } from '../generated/resolvers-types';
import { refuse, refuseAll, refusable, userError, type CatalogUserError, type Outcome } from './catalog-errors';
import { checkMoney, checkText } from './catalog-input';
import { assertSkusFree, insertVariants, prepareVariants } from './variant-writer';

/** `totalCount` is counted only when selected: on a large catalog the count costs more than the page. */
export type ProductPage = Connection<ProductEntity>;

const LIKE_ESCAPE = '!';

export class ProductService {
  constructor(private readonly maxVariants: number) {}

  /** Products for sale sorted by (name, id); the cursor is that sort key, so pages never skip or repeat. */
  async list(ctx: ServiceContext, args: { first?: number | null; after?: string | null; filter?: ProductFilter | null }): Promise<ProductPage> {
    const first = pageSize(args.first);
    const query = ctx.manager.createQueryBuilder(ProductSchema, 'p').where('p.archivedAt IS NULL');
    const filter = args.filter ?? {};
    if (filter.kind) query.andWhere('p.kind = :kind', { kind: filter.kind });
    if (filter.search != null) checkedText(filter.search, 'filter.search', INPUT_LIMITS.search);
    const attributes = checkedList(filter.attributes ?? [], 'filter.attributes', INPUT_LIMITS.filterAttributes);
    attributes.forEach(({ name, value }, i) => {
      checkedText(name, `filter.attributes.${i}.name`, INPUT_LIMITS.attributeName);
      checkedText(value, `filter.attributes.${i}.value`, INPUT_LIMITS.attributeValue);
    });
    if (filter.search?.trim()) {
      const escaped = filter.search.trim().replace(/[!%_]/g, (c) => LIKE_ESCAPE + c);
      query.andWhere(`LOWER(p.name) LIKE :search ESCAPE '${LIKE_ESCAPE}'`, { search: `%${escaped.toLowerCase()}%` });
    }
    if (attributes.length > 0) {
      checkFilterableNames(attributes.map((a) => a.name), filter.kind ?? undefined);
      // A product matches when one of its variants has every requested value (size M *and* red).
      const conditions = attributes.map(
        (_, i) =>
          `EXISTS (SELECT 1 FROM variant_attribute a${i} WHERE a${i}.variant_id = v.id AND a${i}.name = :an${i} AND a${i}.value = :av${i})`,
      );
      query.andWhere(
        `EXISTS (SELECT 1 FROM product_variant v WHERE v.product_id = p.id AND v.removed_at IS NULL AND ${conditions.join(' AND ')})`,
        Object.fromEntries(attributes.flatMap((a, i) => [[`an${i}`, a.name], [`av${i}`, normalizeFilterValue(a.value)]])),
      );
    }
    const counter = query.clone();
    if (args.after) {
      const [name, id] = decodeCursor(args.after, z.tuple([CURSOR_PARTS.name, CURSOR_PARTS.id]));
      query.andWhere(
        new Brackets((q) => q.where('p.name > :afterName', { afterName: name }).orWhere('p.name = :afterName AND p.id > :afterId', { afterId: id })),
      );
    }
    // With `first: 0` this still reads one row: hasNextPage says whether any product follows (Relay).
    const rows = await query.orderBy('p.name', 'ASC').addOrderBy('p.id', 'ASC').take(first + 1).getMany();
    return connectionFrom(rows, first, (p) => [p.name, p.id], () => counter.getCount());
  }

  create(ctx: ServiceContext, input: CreateProductInput): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const now = new Date();
        const product: ProductEntity = {
          id: randomUUID(),
          name: input.name.trim(),
          description: (input.description ?? '').trim(),
          kind: getKind(input.kind).kind,
          priceAmount: input.price.amount,
          currencyCode: input.price.currencyCode,
          archivedAt: null,
          createdAt: now,
          updatedAt: now,
        };
        const given = input.variants ?? [];
        if (given.length > this.maxVariants) refuseAll([tooManyVariants(['input', 'variants'], given.length, this.maxVariants)]);
        const variants = prepareVariants(product, given, (i) => ['input', 'variants', String(i)], now);
        const errors = [
          ...checkText(input.name, ['input', 'name'], 200),
          ...checkText(input.description ?? '', ['input', 'description'], 10_000, false),
          ...checkMoney(input.price, ['input', 'price']),
          ...variants.errors,
        ];
        if (errors.length > 0) refuseAll(errors);
        await assertSkusFree(
          manager,
          variants.rows.map((row, i) => ({ sku: row.sku, field: ['input', 'variants', String(i), 'sku'] })),
        );
        await manager.insert(ProductSchema, product);
        await insertVariants(manager, variants.rows);
        return product;
      }),
    );
  }

  update(ctx: ServiceContext, id: string, input: UpdateProductInput): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const product = await loadWritableProduct(manager, id, ['id']);
        const errors = [
          ...(input.name != null ? checkText(input.name, ['input', 'name'], 200) : []),
          ...(input.description != null ? checkText(input.description, ['input', 'description'], 10_000, false) : []),
          ...(input.price ? checkMoney(input.price, ['input', 'price'], product.currencyCode) : []),
        ];
        if (errors.length > 0) refuseAll(errors);
        const changes: Partial<ProductEntity> = { updatedAt: new Date() };
        if (input.name != null) changes.name = input.name.trim();
        if (input.description != null) changes.description = input.description.trim();
        if (input.price) changes.priceAmount = input.price.amount;
        await manager.update(ProductSchema, { id }, changes);
        return { ...product, ...changes };
      }),
    );
  }

  archive(ctx: ServiceContext, id: string): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async ({ manager }) => {
        const product = await loadWritableProduct(manager, id, ['id']);
        const now = new Date();
        await manager.update(ProductSchema, { id }, { archivedAt: now, updatedAt: now });
        return { ...product, archivedAt: now, updatedAt: now };
      }),
    );
  }
}

/** The cap the gateway's cost estimate relies on: a product never lists more variants than this. */
export function tooManyVariants(field: string[], count: number, max: number): CatalogUserError {
  return userError('TOO_MANY_VARIANTS', field, `A product can have at most ${max} variants for sale; this would make ${count}.`);
}

/** The product to change, or a refusal: unknown ids and archived products cannot change. */
export async function loadWritableProduct(manager: EntityManager, id: string, field: string[]): Promise<ProductEntity> {
  const product = await manager.findOneBy(ProductSchema, { id });
  if (!product) refuse('PRODUCT_NOT_FOUND', field, `No product has id ${id}.`);
  if (product.archivedAt) refuse('PRODUCT_ARCHIVED', field, `Product ${id} is archived.`);
  return product;
}

function checkFilterableNames(names: string[], kind?: string): void {
  const allowed = kind ? new Set(findKind(kind)?.filterable ?? []) : filterableNames();
  names.forEach((name, i) => {
    if (!allowed.has(name)) {
      throw badInput(`Cannot filter by attribute "${name}"; filterable: ${[...allowed].sort().join(', ')}.`, `filter.attributes.${i}.name`);
    }
  });
}
