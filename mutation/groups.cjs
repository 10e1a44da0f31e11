/**
 * The rule modules under mutation testing, each group with the suites that guard it. Stryker's jest
 * runner loads, for every mutant, each test file related to the mutated module; in this monorepo every
 * suite imports the service kit, so naming the guarding suites is what keeps a run to an hour or two.
 * Suites that start real processes (`*.process.test.ts`) are under `processTests`: an in-process mutant
 * cannot reach a child process, so scripts/mutation-processes.ts applies each surviving mutant to a copy
 * of the code and runs them.
 */
// @ts-nocheck

const ORDER = 'subgraphs/order/test';
const CART = 'subgraphs/cart/test';
const CATALOG = 'subgraphs/catalog/test';

module.exports = {
  money: {
    mutate: ['packages/service-kit/src/money.ts'],
    tests: ['test/money-totals.test.ts', `${CART}/cart-rules.test.ts`, `${CATALOG}/catalog-admin.test.ts`, `${ORDER}/checkout.test.ts`, 'test/bad-input.test.ts'],
  },
  cursors: {
    // The kit's cursors and page sizes, and the two keyset queries that use them (services and their
    // repositories).
    mutate: [
      'packages/service-kit/src/cursor.ts',
      'subgraphs/order/src/services/order.service.ts',
      'subgraphs/order/src/repositories/order.repository.ts',
      'subgraphs/catalog/src/services/product.service.ts:34-58',
      'subgraphs/catalog/src/repositories/product.repository.ts',
    ],
    // Not the input-bounds property test: 2,000 operations a run, and not where the cursor rules are pinned.
    // catalog-admin: the repository's find by id (writes) and the listing leaving archived products out.
    tests: [`${CATALOG}/catalog-queries.test.ts`, `${CATALOG}/catalog-admin.test.ts`, `${ORDER}/checkout.test.ts`, 'test/bad-input.test.ts'],
  },
  outbox: {
    mutate: ['subgraphs/order/src/services/outbox-relay.ts', 'subgraphs/order/src/repositories/outbox.repository.ts'],
    tests: [
      `${ORDER}/outbox-retry-policy.test.ts`,
      `${ORDER}/outbox-relay.test.ts`,
      `${ORDER}/checkout.test.ts`,
      `${ORDER}/checkout-concurrency.test.ts`,
      `${ORDER}/checkout-recovery-at-start.test.ts`,
      `${ORDER}/background-leases.test.ts`,
    ],
    processTests: [`${ORDER}/checkout-crash.process.test.ts`],
  },
  leases: {
    // How replicas share background work: one holder at a time, taken over once it lapses.
    mutate: ['packages/service-kit/src/leases.ts:54-99'], // the Leases class; the migration above is schema
    tests: ['packages/service-kit/test/leases.test.ts', `${ORDER}/background-leases.test.ts`, `${CART}/guest-cart-sweep-lease.test.ts`],
  },
  auth: {
    mutate: ['packages/service-kit/src/identity.ts', 'gateway/src/auth.ts', 'gateway/src/token-lifetime.ts'],
    // The rules are pinned by in-process unit tests (no stack, no database: seconds a mutant). The suites
    // through a gateway (token-lifetime, jwks, identifier-isolation) guard the wiring in `npm test`, but
    // here they run these modules while starting, which makes nearly every mutant "static" (every test
    // of the group for each one): hours instead of 23 minutes, for no mutant the unit tests miss.
    tests: [
      'packages/service-kit/test/identity.test.ts',
      'gateway/test/token-verifier.test.ts',
      'gateway/test/token-lifetime-rules.test.ts',
    ],
  },
  stock: {
    mutate: [
      'subgraphs/catalog/src/services/stock.service.ts',
      'subgraphs/catalog/src/repositories/reservation.repository.ts',
      'subgraphs/catalog/src/repositories/variant.repository.ts:60-70',
    ],
    // The catalog's reservation route is its only caller: its own suite, and checkout end to end.
    tests: [`${CATALOG}/stock-reservation.test.ts`, `${ORDER}/checkout.test.ts`, `${ORDER}/checkout-concurrency.test.ts`],
  },
  checkout: {
    mutate: [
      'subgraphs/order/src/services/checkout.service.ts',
      'subgraphs/order/src/repositories/checkout.repository.ts',
      'subgraphs/cart/src/services/cart-checkout.service.ts',
      'subgraphs/cart/src/repositories/cart-checkout.repository.ts',
    ],
    tests: [
      `${ORDER}/checkout.test.ts`,
      `${ORDER}/checkout-concurrency.test.ts`,
      `${ORDER}/checkout-abandon.test.ts`,
      `${ORDER}/checkout-claim-after-abandon.test.ts`,
      `${ORDER}/checkout-recovery-at-start.test.ts`,
      `${ORDER}/outbox-relay.test.ts`,
      `${ORDER}/background-leases.test.ts`,
      `${CART}/cart-checkout-internal.test.ts`,
      'test/money-totals.test.ts',
    ],
    processTests: [`${ORDER}/checkout-crash.process.test.ts`],
  },
  cart: {
    // Not cart-statements: it counts a read's SQL statements (no N+1), not a rule of these modules, and
    // its hundred set-up adds would make most of cart.service "static". Not cart-checkout-internal: it
    // guards the checkout group's module, and would add 17 s to every mutant of the cart's writes.
    mutate: [
      'subgraphs/cart/src/services/cart.service.ts',
      'subgraphs/cart/src/repositories/cart.repository.ts',
      'subgraphs/cart/src/repositories/cart-line.repository.ts',
    ],
    tests: [
      `${CART}/cart-basics.test.ts`,
      `${CART}/cart-rules.test.ts`,
      `${CART}/cart-concurrency.test.ts`,
      `${CART}/guest-carts-and-isolation.test.ts`,
      `${CART}/guest-merge-race.test.ts`,
      `${CART}/cart-interleavings.test.ts`,
      'test/money-totals.test.ts',
    ],
    processTests: [`${CART}/cart-persistence.process.test.ts`],
  },
};
