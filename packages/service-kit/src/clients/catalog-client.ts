import type { Money } from '../money';
import { InternalClient } from '../internal-client';

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

export const CATALOG_ROUTES = {
  /** body `{ ids: string[] }` (at most LOOKUP_LIMIT) → `{ variants: CatalogVariant[] }`; unknown ids are left out. */
  lookupVariants: '/variants/lookup',
} as const;

export const LOOKUP_LIMIT = 500;

/** The catalog's internal API, for other services (cart, order). */
export class CatalogClient {
  private readonly http: InternalClient;

  constructor(url: string, secret: string) {
    this.http = new InternalClient(url, secret);
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
}
