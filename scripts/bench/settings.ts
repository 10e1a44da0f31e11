/** What the benchmark measures with: sizes, rates and the names of its own databases. */
import path from 'node:path';

export const BENCH_DATABASE_NAME = 'storefront_bench_catalog';
/** Carts are bench state: this database is dropped at every start, never reused. */
export const BENCH_CART_DATABASE_NAME = 'storefront_bench_cart';
/** Orders too. */
export const BENCH_ORDER_DATABASE_NAME = 'storefront_bench_order';
/** Absolute, because the services run from the repository root whatever directory the bench runs from. */
export const BENCH_DATA_DIR = path.resolve(__dirname, '..', '..', 'data', 'bench');
/** Enough distinct products that the catalog cannot answer from a handful of hot rows. */
export const PRODUCT_ID_SAMPLE = 1000;
/** Pages of the listing the products scenario rotates through (first page included). */
export const LISTING_PAGES = 10;
export const WARMUP_SECONDS = 2;
/** Targets take turns in slices of about this many seconds, so both see the same machine. */
export const SLICE_SECONDS = 2.5;
/** Lines in the carts the MyCart scenarios read, each cart its own user; the ratio compares last and first. */
export const CART_SIZES = [1, 10, 100];
/** The cart service's limits, set explicitly so a CART_MAX_* in the shell cannot change what is measured. */
export const CART_MAX_LINES = 100;
export const CART_MAX_LINE_QUANTITY = 99;
/** Variants the addToCart users add (user u the (u mod this)-th), their stock raised first. */
export const ADDER_VARIANTS = 200;
/** Stock of those variants: above the per-line limit, so an add is refused for neither reason. */
export const ADDER_STOCK = 100_000;
/** At least this many users add to their carts, in turn; more when the run is long (see adderCount). */
export const MIN_ADDERS = 1000;
/** A rate no addToCart run here reaches; the number of users is sized so that even it fits. */
export const ADD_RATE_CEILING = 5000;
/**
 * Lines in the carts the checkout scenarios check out, one unit of a distinct variant each, every
 * checkout a cart of its own; the ratio compares last and first.
 */
export const CHECKOUT_SIZES = [1, 10, 50];
/** Variants the checkout carts draw on (none of the cart scenarios'), their stock raised first. */
export const ORDER_VARIANTS = 500;
/** Their stock: no run here takes more than a fraction of it, so no checkout is refused for stock. */
export const ORDER_STOCK = 1_000_000;
/**
 * Checkouts per connection and cart size in the probe that runs before the measured carts are filled:
 * it warms checkout up (the first wave, one checkout per connection, of every size) and measures its
 * rate (the others), from which the number of measured checkouts is sized.
 */
export const PROBE_CHECKOUTS_PER_CONNECTION = 3;
/** At least this many checkouts per connection in a measured slice: a slice is more than one wave. */
export const MIN_SLICE_CHECKOUTS_PER_CONNECTION = 2;
/**
 * At most this many cart lines filled for the measured checkouts of one size: bounds the prep of long
 * runs (carts fill at some 100-250 lines/s on two cores).
 */
export const MAX_CHECKOUT_LINES_PER_SIZE = 4_000;
/** The order-history user: this many orders of this many lines, placed through the gateway in the prep. */
export const HISTORY_ORDERS = 50;
export const HISTORY_LINES_PER_ORDER = 3;
/** The page MyOrders asks for. */
export const HISTORY_PAGE = 20;
