import { type CatalogVariant, type ReserveResult, type StockItem, type StockProblem } from '@storefront/contracts';
import { isUniqueViolation, type ServiceContext } from '@storefront/service-kit';
import type { StockReservationEntity } from '../entities';
import type { CatalogRepositories } from '../repositories';

/**
 * Rolls the reservation back: a line's stock fell below what it needs between reading it and taking
 * it (only on MySQL, where reads do not lock). Trying again reads the new stock.
 */
class StockMoved extends Error {
  constructor() {
    super('Stock changed while reserving; try again.');
  }
}

const MAX_ATTEMPTS = 5;

/** Takes stock for checkouts (`CATALOG_API.reserveStock` in `@storefront/contracts`). */
export class StockService {
  constructor(private readonly rows: CatalogRepositories) {}

  /**
   * Takes every item's quantity in one transaction, or nothing, and answers every line at fault.
   * Idempotent by `reservationId`: once decided, calls with that id change nothing and answer as the
   * first did (the variants as first reserved, or the problems as first found), whatever `items` they
   * give. A refused id stays refused: the order service makes a new checkout for a new attempt.
   */
  async reserve(ctx: ServiceContext, reservationId: string, items: StockItem[]): Promise<ReserveResult> {
    const wanted = mergeItems(items);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await ctx.transaction((tx) => this.take(tx, reservationId, wanted));
      } catch (error) {
        if (error instanceof StockMoved && attempt < MAX_ATTEMPTS) continue;
        if (isUniqueViolation(error)) {
          // A concurrent call with the same id decided it first and committed (our insert waited for
          // it): we answer as it did. Read outside our rolled-back transaction, whose snapshot predates
          // that commit on MySQL.
          const earlier = await this.decided(ctx, reservationId);
          if (earlier) return earlier;
        }
        throw error;
      }
    }
  }

  private async take(tx: ServiceContext, reservationId: string, wanted: StockItem[]): Promise<ReserveResult> {
    // Stock first, then earlier rows: if the stock read already shows a concurrent call with this id
    // taking its share, that call had committed, so its rows are found next and we answer as it did
    // rather than report the stock it took as missing (on MySQL, under any isolation level).
    const found = new Map((await this.rows.variants.asSeenByOthers(tx, wanted.map((w) => w.variantId))).map((v) => [v.id, v]));
    const earlier = await this.decided(tx, reservationId);
    if (earlier) return earlier;

    const now = new Date();
    const problems = findProblems(wanted, found);
    // The decision row goes first on both paths: a concurrent call with the same id blocks on its
    // primary key until we commit, then fails as a duplicate (see reserve) and answers as we did.
    await this.rows.reservations.decide(tx, {
      reservationId,
      outcome: problems.length > 0 ? 'refused' : 'reserved',
      problems,
      createdAt: now,
    });
    if (problems.length > 0) return { ok: false, problems };

    // The snapshot's stock is what this reservation leaves as far as it read; concurrent reservations
    // on MySQL may leave less. Price, names, sku and attributes are what the order records.
    const rows: StockReservationEntity[] = sortedByVariant(wanted).map(({ variantId, quantity }) => {
      const variant = found.get(variantId)!;
      return { reservationId, variantId, quantity, snapshot: { ...variant, stock: variant.stock - quantity }, createdAt: now };
    });
    await this.rows.reservations.insertRows(tx, rows);

    // In variant id order, so concurrent reservations lock the rows they share in the same order. The
    // condition is the guard: on MySQL another reservation may have taken the stock since we read it.
    for (const { variantId, quantity } of rows) {
      if (!(await this.rows.variants.takeStock(tx, variantId, quantity, now))) throw new StockMoved();
    }
    return { ok: true, variants: rows.map((row) => row.snapshot) };
  }

  /** How an earlier call decided this id (the variants as then reserved, or the problems as then found); null if none did. */
  private async decided(ctx: ServiceContext, reservationId: string): Promise<ReserveResult | null> {
    const outcome = await this.rows.reservations.decision(ctx, reservationId);
    if (!outcome) return null;
    if (outcome.outcome === 'refused') return { ok: false, problems: outcome.problems ?? [] };
    const rows = await this.rows.reservations.rowsOf(ctx, reservationId);
    return { ok: true, variants: sortedByVariant(rows).map((row) => row.snapshot) };
  }
}

/** One item per variant (quantities of repeated variants added up), in the order first given. */
function mergeItems(items: StockItem[]): StockItem[] {
  const merged = new Map<string, number>();
  for (const { variantId, quantity } of items) merged.set(variantId, (merged.get(variantId) ?? 0) + quantity);
  return [...merged].map(([variantId, quantity]) => ({ variantId, quantity }));
}

/** Every line that cannot be served as read, in the order given. */
function findProblems(wanted: StockItem[], found: Map<string, CatalogVariant>): StockProblem[] {
  return wanted.flatMap(({ variantId, quantity }): StockProblem[] => {
    const variant = found.get(variantId);
    if (!variant) return [{ variantId, reason: 'NOT_FOUND', requested: quantity, available: 0 }];
    // Stock left on a variant off sale cannot be bought: report none, so no one offers it.
    if (!variant.available) return [{ variantId, reason: 'UNAVAILABLE', requested: quantity, available: 0 }];
    if (variant.stock < quantity) return [{ variantId, reason: 'INSUFFICIENT_STOCK', requested: quantity, available: variant.stock }];
    return [];
  });
}

/**
 * By variant id in code-unit order: the same order in every process, whatever the database collation.
 * Ids are distinct in every list sorted here (merged items, one reservation row per variant).
 */
function sortedByVariant<T extends { variantId: string }>(list: T[]): T[] {
  return [...list].sort((a, b) => (a.variantId < b.variantId ? -1 : 1));
}
