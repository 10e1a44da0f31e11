import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AddToCartDocument,
  CheckoutDocument,
  CreateGuestCartDocument,
  execute,
  MergeGuestCartDocument,
  MyCartDocument,
  MyOrdersDocument,
  ProductDocument,
  ProductsDocument,
} from '@storefront/client';
import { print } from 'graphql';

/** What a workload shops: up to 8 variants of the catalog's first 20 products, and those products. */
export async function shoppingList(url: string): Promise<{ variantIds: string[]; productIds: string[] }> {
  const products = await execute(url, ProductsDocument, { first: 20 });
  const nodes = products.data?.products.edges.map((e) => e.node) ?? [];
  if (nodes.length === 0) throw new Error(`the catalog is empty or unreachable: ${JSON.stringify(products.errors)}`);
  return { variantIds: nodes.flatMap((p) => p.variants.map((v) => v.id)).slice(0, 8), productIds: nodes.map((p) => p.id) };
}

/** What the workload runs against: the public endpoint and a way to sign users in. */
export interface ChaosTarget {
  url: string;
  token(userId: string): Promise<string>;
}

export interface WorkloadOptions {
  /** Operations started per second, whatever the answers' latency (an open model: slowness does not hide load). */
  ratePerSecond: number;
  /** Variants to shop, with stock enough for the run. */
  variantIds: string[];
  productIds: string[];
  /** Prefix of every user id the run makes, so its data is told apart in the databases. */
  runId: string;
  /** How many signed-in shoppers build carts (each their own cart). */
  cartUsers?: number;
  /** At most this many operations in flight; more are counted as shed, not started. */
  maxInFlight?: number;
}

type Outcome = 'ok' | 'refused' | 'unknown';

interface PhaseStats {
  operations: number;
  latenciesMs: number[];
  /** Reads answered with anything but 200 and data without errors. */
  failedReads: number;
  /** Writes whose outcome the client cannot know (an error, a cut-off answer). */
  unknownWrites: number;
  refusedWrites: number;
  shed: number;
  /** A few examples of each failure, for the report. */
  samples: string[];
}

/** What the clients were told, per cart and per checkout key, to check against what the system kept. */
export interface Ledger {
  /** Per signed-in user: units acknowledged as added to their cart, and units whose add had an unknown outcome. */
  carts: Map<string, { acknowledged: number; unknown: number }>;
  /** Per checkout idempotency key: who, and what the client was finally told. */
  checkouts: Map<string, { userId: string; outcome: Outcome; orderId?: string; code?: string }>;
}

const READS = {
  products: print(ProductsDocument),
  product: print(ProductDocument),
  myCart: print(MyCartDocument),
  myOrders: print(MyOrdersDocument),
};

/**
 * A mixed shop workload at a bounded rate: anonymous browsing, signed-in carts, guest carts merged at
 * sign-in, checkouts and history reads. Reads go as GET (GraphQL allows only queries there, so the load
 * balancer may retry them) and are never retried by the client: any failure counts. Checkouts retry with
 * the same idempotency key on any error, and take a new key only on CHECKOUT_ABANDONED.
 */
export class Workload {
  readonly ledger: Ledger = { carts: new Map(), checkouts: new Map() };
  readonly phases = new Map<string, PhaseStats>();
  private phase = 'start';
  private inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private tokens = new Map<string, Promise<string>>();
  private sequence = 0;

  constructor(
    private readonly target: ChaosTarget,
    private readonly options: WorkloadOptions,
  ) {}

  /** Operations from now on are reported under `name`. */
  enter(name: string): void {
    this.phase = name;
  }

  start(): void {
    const every = 1000 / this.options.ratePerSecond;
    let due = Date.now();
    const tick = () => {
      // Catch up on missed ticks (a busy event loop), so the rate holds on average.
      for (const now = Date.now(); due <= now; due += every) this.launch();
      this.timer = setTimeout(tick, Math.max(1, due - Date.now()));
    };
    tick();
  }

  /** Stops starting operations and waits for those in flight. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  private stats(): PhaseStats {
    let stats = this.phases.get(this.phase);
    if (!stats) {
      stats = { operations: 0, latenciesMs: [], failedReads: 0, unknownWrites: 0, refusedWrites: 0, shed: 0, samples: [] };
      this.phases.set(this.phase, stats);
    }
    return stats;
  }

  private launch(): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 50)) {
      this.stats().shed += 1;
      return;
    }
    const n = this.sequence++;
    // The mix: mostly browsing, then carts, history, checkouts and merges.
    const pick = n % 20;
    const run =
      pick < 8 ? this.browse(n) : pick < 13 ? this.buildCart(n) : pick < 15 ? this.readCart(n) : pick < 17 ? this.readHistory(n) : pick < 19 ? this.checkout(n) : this.guestThenMerge(n);
    const running = run.catch((error: unknown) => this.note(this.stats(), 'bug', String((error as Error).stack ?? error)));
    this.inFlight.add(running);
    void running.finally(() => this.inFlight.delete(running));
  }

  private token(userId: string): Promise<string> {
    let token = this.tokens.get(userId);
    if (!token) this.tokens.set(userId, (token = this.target.token(userId)));
    return token;
  }

  /** A failure, counted in `stats` (the phase its operation started in): a bug in the workload fails like a read. */
  private note(stats: PhaseStats, kind: 'read' | 'write' | 'bug', sample: string): void {
    if (kind === 'write') stats.unknownWrites += 1;
    else stats.failedReads += 1;
    if (stats.samples.length < 5) stats.samples.push(`${kind}: ${sample}`.slice(0, 300));
  }

  /** A query as GET; a failure of any kind is a failed read (the client does not retry). */
  private async read(query: string, variables: object, userId?: string): Promise<Record<string, unknown> | undefined> {
    const url = `${this.target.url}?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
    const headers: Record<string, string> = { 'apollo-require-preflight': 'true' };
    if (userId) headers.authorization = `Bearer ${await this.token(userId)}`;
    const started = Date.now();
    const stats = this.stats();
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: unknown[] };
      if (response.status !== 200 || body.errors || !body.data) throw new Error(`${response.status} ${text}`);
      return body.data;
    } catch (error) {
      this.note(stats, 'read', (error as Error).message);
      return undefined;
    } finally {
      stats.operations += 1;
      stats.latenciesMs.push(Date.now() - started);
    }
  }

  /** A mutation as POST: acknowledged (no errors, no userErrors), refused (userErrors), or unknown. */
  private async write<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    userId: string | undefined,
    userErrorsOf: (data: TData) => { code: string }[],
  ): Promise<{ outcome: Outcome; data?: TData; code?: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (userId) headers.authorization = `Bearer ${await this.token(userId)}`;
    const started = Date.now();
    const stats = this.stats();
    try {
      const response = await fetch(this.target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: print(document), variables }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: TData; errors?: unknown[] };
      if (response.status !== 200 || body.errors || !body.data) throw new Error(`${response.status} ${text}`);
      const refused = userErrorsOf(body.data);
      if (refused.length > 0) {
        stats.refusedWrites += 1;
        return { outcome: 'refused', data: body.data, code: refused[0].code };
      }
      return { outcome: 'ok', data: body.data };
    } catch (error) {
      this.note(stats, 'write', (error as Error).message);
      return { outcome: 'unknown' };
    } finally {
      stats.operations += 1;
      stats.latenciesMs.push(Date.now() - started);
    }
  }

  private variant(n: number): string {
    return this.options.variantIds[n % this.options.variantIds.length];
  }

  private async browse(n: number): Promise<void> {
    if (n % 2 === 0) await this.read(READS.products, { first: 10 });
    else await this.read(READS.product, { id: this.options.productIds[n % this.options.productIds.length] });
  }

  private cartUser(n: number): string {
    return `${this.options.runId}-cart-${n % (this.options.cartUsers ?? 8)}`;
  }

  /** One unit more in a signed-in user's cart, counted as the client saw it. */
  private async buildCart(n: number): Promise<void> {
    const userId = this.cartUser(n);
    const entry = this.ledger.carts.get(userId) ?? { acknowledged: 0, unknown: 0 };
    this.ledger.carts.set(userId, entry);
    // Spread over lines so no line reaches its quantity limit within a run.
    const variantId = this.variant(Math.floor(n / 7));
    const added = await this.write(AddToCartDocument, { variantId, quantity: 1 }, userId, (d) => d.addToCart.userErrors);
    if (added.outcome === 'ok') entry.acknowledged += 1;
    if (added.outcome === 'unknown') entry.unknown += 1;
  }

  private async readCart(n: number): Promise<void> {
    await this.read(READS.myCart, {}, this.cartUser(n));
  }

  private async readHistory(n: number): Promise<void> {
    await this.read(READS.myOrders, { first: 5 }, `${this.options.runId}-buyer-${n % 5}`);
  }

  /**
   * A guest fills a cart, then signs in as a new user and merges it. The user's cart is then counted like
   * any other: the guest's acknowledged units are acknowledged once the merge is, unknown otherwise.
   */
  private async guestThenMerge(n: number): Promise<void> {
    const created = await this.write(CreateGuestCartDocument, {}, undefined, () => []);
    const guestCartToken = created.data?.createGuestCart.guestCartToken;
    if (!guestCartToken) return;
    let acknowledged = 0;
    let unknown = 0;
    for (let i = 0; i < 2; i += 1) {
      const added = await this.write(AddToCartDocument, { variantId: this.variant(n + i), quantity: 1, guestCartToken }, undefined, (d) => d.addToCart.userErrors);
      if (added.outcome === 'ok') acknowledged += 1;
      if (added.outcome === 'unknown') unknown += 1;
    }
    const userId = `${this.options.runId}-merge-${n}`;
    const merged = await this.write(MergeGuestCartDocument, { guestCartToken }, userId, (d) => d.mergeGuestCart.userErrors);
    const entry = { acknowledged: 0, unknown: 0 };
    if (merged.outcome === 'ok') Object.assign(entry, { acknowledged, unknown });
    if (merged.outcome === 'unknown') entry.unknown = acknowledged + unknown;
    this.ledger.carts.set(userId, entry);
  }

  /**
   * A new user buys one unit: adds it, then checks out, retrying with the same key on any error (up to
   * a bound), with a new key only when told CHECKOUT_ABANDONED.
   */
  private async checkout(n: number): Promise<void> {
    const userId = `${this.options.runId}-buyer-${n}`;
    // n steps by 20 between checkouts: shift it so they buy every variant, not the same few.
    const added = await this.write(AddToCartDocument, { variantId: this.variant(n + Math.floor(n / 20)), quantity: 1 }, userId, (d) => d.addToCart.userErrors);
    if (added.outcome !== 'ok') return;
    let key = randomUUID();
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const result = await this.write(CheckoutDocument, { input: { idempotencyKey: key } }, userId, (d) => d.checkout.userErrors);
      const order = result.data?.checkout.order;
      if (result.outcome === 'ok' && order) {
        this.ledger.checkouts.set(key, { userId, outcome: 'ok', orderId: order.id });
        return;
      }
      if (result.outcome === 'refused') {
        this.ledger.checkouts.set(key, { userId, outcome: 'refused', code: result.code });
        if (result.code !== 'CHECKOUT_ABANDONED') return;
        key = randomUUID();
        continue;
      }
      this.ledger.checkouts.set(key, { userId, outcome: 'unknown' });
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
}
