import type { Money } from '../money';
import { InternalClient, type InternalClientOptions } from '../internal-client';

/** A variant as the catalog sells it right now: what carts price with and orders snapshot. */
export interface CatalogVariant {
  id: string;
  productId: string;
  productName: string;
  sku: string;
  kind: string;
  attributes: Record<string, string | number | boolean>;
  /** Current price: the variant's override or the product's. */
  price: Money;
  stock: number;
  /** For sale: the variant is not removed and its product not archived. */
  available: boolean;
}

export interface StockItem {
  variantId: string;
  quantity: number;
}

/** Why a reservation took nothing: every line at fault, so the shopper can fix them all at once. */
export interface StockProblem {
  variantId: string;
  /** NOT_FOUND: no such variant; UNAVAILABLE: taken off sale; INSUFFICIENT_STOCK: fewer than requested. */
  reason: 'NOT_FOUND' | 'UNAVAILABLE' | 'INSUFFICIENT_STOCK';
  requested: number;
  /** Units in stock now (0 when not found). */
  available: number;
}

export type ReserveResult =
  /** Stock taken (now, or by an earlier call with the same id); `variants` as they were when taken. */
  | { ok: true; variants: CatalogVariant[] }
  /** Nothing taken. */
  | { ok: false; problems: StockProblem[] };

export const CATALOG_ROUTES = {
  /** body `{ ids: string[] }` (at most LOOKUP_LIMIT) → `{ variants: CatalogVariant[] }`; unknown ids are left out. */
  lookupVariants: '/variants/lookup',
  /**
   * body `{ reservationId: string, items: StockItem[] }` → `ReserveResult`. All or nothing, in one
   * transaction: stock never goes negative. Idempotent: the first call decides the reservationId; a
   * repeated or concurrent call changes nothing and answers as it did (the variants as first
   * reserved, or the same refusal).
   */
  reserveStock: '/stock/reserve',
} as const;

export const LOOKUP_LIMIT = 500;

/** The catalog's internal API, for other services (cart, order). */
export class CatalogClient {
  private readonly http: InternalClient;

  constructor(url: string, secret: string, options: Omit<InternalClientOptions, 'service'> = {}) {
    this.http = new InternalClient(url, secret, { service: 'catalog', ...options });
  }

  async lookupVariants(ids: readonly string[], requestId?: string): Promise<CatalogVariant[]> {
    const out: CatalogVariant[] = [];
    for (let i = 0; i < ids.length; i += LOOKUP_LIMIT) {
      const body = await this.http.post<{ variants: CatalogVariant[] }>(
        CATALOG_ROUTES.lookupVariants,
        { ids: ids.slice(i, i + LOOKUP_LIMIT) },
        requestId,
      );
      out.push(...body.variants);
    }
    return out;
  }

  reserveStock(reservationId: string, items: StockItem[], requestId?: string): Promise<ReserveResult> {
    return this.http.post<ReserveResult>(CATALOG_ROUTES.reserveStock, { reservationId, items }, requestId);
  }
}
