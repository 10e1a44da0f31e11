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
import type { ProductEntity } from '../entities';
import type { CreateProductInput, ProductFilter, UpdateProductInput } from '../generated/resolvers-types';
import { LIKE_ESCAPE, type CatalogRepositories } from '../repositories';
import { refuseAll, refusable, type Outcome } from './catalog-errors';
import { checkMoney, checkText, tooManyVariants } from './catalog-input';
import { assertSkusFree, insertVariants, prepareVariants } from './variant-writer';
import { writableProduct } from './writable';

/** `totalCount` is counted only when selected: on a large catalog the count costs more than the page. */
export type ProductPage = Connection<ProductEntity>;

export class ProductService {
  constructor(
    private readonly rows: CatalogRepositories,
    private readonly maxVariants: number,
  ) {}

  /** Products for sale sorted by (name, id); the cursor is that sort key, so pages never skip or repeat. */
  async list(ctx: ServiceContext, args: { first?: number | null; after?: string | null; filter?: ProductFilter | null }): Promise<ProductPage> {
    const first = pageSize(args.first);
    const filter = args.filter ?? {};
    if (filter.search != null) checkedText(filter.search, 'filter.search', INPUT_LIMITS.search);
    const attributes = checkedList(filter.attributes ?? [], 'filter.attributes', INPUT_LIMITS.filterAttributes);
    attributes.forEach(({ name, value }, i) => {
      checkedText(name, `filter.attributes.${i}.name`, INPUT_LIMITS.attributeName);
      checkedText(value, `filter.attributes.${i}.value`, INPUT_LIMITS.attributeValue);
    });
    checkFilterableNames(attributes.map((a) => a.name), filter.kind ?? undefined);
    const search = filter.search?.trim();
    const after = args.after ? decodeCursor(args.after, z.tuple([CURSOR_PARTS.name, CURSOR_PARTS.id])) : null;
    // With `first: 0` this still reads one row: hasNextPage says whether any product follows (Relay).
    const { rows, count } = await this.rows.products.page(
      ctx,
      {
        kind: filter.kind ?? undefined,
        search: search ? search.replace(/[!%_]/g, (c) => LIKE_ESCAPE + c).toLowerCase() : undefined,
        attributes: attributes.map(({ name, value }) => ({ name, value: normalizeFilterValue(value) })),
      },
      after,
      first + 1,
    );
    return connectionFrom(rows, first, (p) => [p.name, p.id], count);
  }

  create(ctx: ServiceContext, input: CreateProductInput): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
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
          tx,
          this.rows.variants,
          variants.rows.map((row, i) => ({ sku: row.sku, field: ['input', 'variants', String(i), 'sku'] })),
        );
        await this.rows.products.insert(tx, product);
        await insertVariants(tx, this.rows.variants, variants.rows);
        return product;
      }),
    );
  }

  update(ctx: ServiceContext, id: string, input: UpdateProductInput): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const product = await writableProduct(tx, this.rows, id, ['id']);
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
        await this.rows.products.update(tx, id, changes);
        return { ...product, ...changes };
      }),
    );
  }

  archive(ctx: ServiceContext, id: string): Promise<Outcome<ProductEntity>> {
    return refusable(() =>
      ctx.transaction(async (tx) => {
        const product = await writableProduct(tx, this.rows, id, ['id']);
        const now = new Date();
        await this.rows.products.update(tx, id, { archivedAt: now, updatedAt: now });
        return { ...product, archivedAt: now, updatedAt: now };
      }),
    );
  }
}

function checkFilterableNames(names: string[], kind?: string): void {
  const allowed = kind ? new Set(findKind(kind)?.filterable ?? []) : filterableNames();
  names.forEach((name, i) => {
    if (!allowed.has(name)) {
      throw badInput(`Cannot filter by attribute "${name}"; filterable: ${[...allowed].sort().join(', ')}.`, `filter.attributes.${i}.name`);
    }
  });
}
