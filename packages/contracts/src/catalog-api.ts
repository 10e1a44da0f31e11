import { InternalClient, internalRoute, type CallerContext, type InternalClientOptions } from '@storefront/service-kit';
import { z } from 'zod';
import { internalId } from './shop';

/**
 * The catalog's internal API, for the cart (prices, stock, availability) and the order service (stock
 * reservations, the variants an order snapshots). Served by the catalog's internal routes; called
 * through `CatalogClient`.
 */

/** Most variant ids one lookup or reservation carries; the client splits longer lookups. */
export const LOOKUP_LIMIT = 500;
/** Most units of one variant in stock; a reservation asking for more is refused by the schema. */
export const MAX_STOCK = 1_000_000_000;

const money = z.object({ amount: z.number().int(), currencyCode: z.string().length(3) });

/** A variant as the catalog sells it right now: what carts price with and orders snapshot. */
const catalogVariant = z.object({
  id: z.string(),
  productId: z.string(),
  productName: z.string(),
  sku: z.string(),
  kind: z.string(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  /** Current price: the variant's override or the product's. */
  price: money,
  stock: z.number().int().min(0),
  /** For sale: the variant is not removed and its product not archived. */
  available: z.boolean(),
});
export type CatalogVariant = z.infer<typeof catalogVariant>;

const stockItem = z.object({
  variantId: internalId,
  // No variant can stock more; merged repeats above it are refused as insufficient, never stored.
  quantity: z.number().int().positive().max(MAX_STOCK),
});
export type StockItem = z.infer<typeof stockItem>;

/** Why a reservation took nothing: every line at fault, so the shopper can fix them all at once. */
const stockProblem = z.object({
  variantId: z.string(),
  /** NOT_FOUND: no such variant; UNAVAILABLE: taken off sale; INSUFFICIENT_STOCK: fewer than requested. */
  reason: z.enum(['NOT_FOUND', 'UNAVAILABLE', 'INSUFFICIENT_STOCK']),
  requested: z.number().int(),
  /** Units in stock now (0 when not found). */
  available: z.number().int(),
});
export type StockProblem = z.infer<typeof stockProblem>;

const reserveResult = z.discriminatedUnion('ok', [
  /** Stock taken (now, or by an earlier call with the same id); `variants` as they were when taken. */
  z.object({ ok: z.literal(true), variants: z.array(catalogVariant) }),
  /** Nothing taken. */
  z.object({ ok: z.literal(false), problems: z.array(stockProblem) }),
]);
export type ReserveResult = z.infer<typeof reserveResult>;

export const CATALOG_API = {
  /** The variants with these ids as they are now; unknown ids are left out. */
  lookupVariants: internalRoute({
    path: '/variants/lookup',
    request: z.object({ ids: z.array(z.string().max(64)).max(LOOKUP_LIMIT) }),
    response: z.object({ variants: z.array(catalogVariant) }),
    retrySafe: true, // a read
  }),
  /**
   * Takes stock for every item, all or nothing, in one transaction: stock never goes negative.
   * Idempotent: the first call decides the reservationId; a repeated or concurrent call changes nothing
   * and answers as it did (the variants as first reserved, or the same refusal). A refusal is an
   * answer (200), not a failure.
   */
  reserveStock: internalRoute({
    path: '/stock/reserve',
    request: z.object({
      // No spaces: MySQL ignores trailing ones when comparing keys, SQLite does not.
      reservationId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'reservationId must be 1-64 letters, digits, _ . : or -'),
      items: z.array(stockItem).min(1).max(LOOKUP_LIMIT),
    }),
    response: reserveResult,
    retrySafe: true, // once per reservationId
  }),
};

/** The catalog's internal API, for other services (cart, order). */
export class CatalogClient {
  private readonly http: InternalClient;

  constructor(url: string, secret: string, options: Omit<InternalClientOptions, 'service'> = {}) {
    this.http = new InternalClient(url, secret, { service: 'catalog', ...options });
  }

  async lookupVariants(caller: CallerContext, ids: readonly string[]): Promise<CatalogVariant[]> {
    const out: CatalogVariant[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_LIMIT) {
      const { variants } = await this.http.call(caller, CATALOG_API.lookupVariants, { ids: ids.slice(i, i + LOOKUP_LIMIT) });
      out.push(...variants);
    }
    return out;
  }

  reserveStock(caller: CallerContext, reservationId: string, items: StockItem[]): Promise<ReserveResult> {
    return this.http.call(caller, CATALOG_API.reserveStock, { reservationId, items });
  }
}
