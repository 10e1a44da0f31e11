const { existsSync } = require('node:fs');
const path = require('node:path');

/**
 * One jest run covers every workspace; each test file gets its own databases, so files run in parallel.
 *
 * Two questions sort every test file into one of four projects:
 * - Does it touch a database? `standalone` files (listed in STANDALONE: configuration, composition, the
 *   gateway alone, files such as docker-compose.yml) run once; the others run once per database
 *   (`DATABASE_URL` unset: embedded SQLite; set: MySQL/MariaDB).
 * - Does it start real processes (services, scripts, `child_process`)? Those are named `*.process.test.ts`
 *   and go to the `-processes` projects: they take most of the run's time (seconds to start each process
 *   with tsx, crash and shutdown scenarios), so `npm run test:fast` leaves them out while developing.
 *
 *                    in-process     real processes (*.process.test.ts)
 *   no database      standalone     standalone-processes
 *   database         database       database-processes
 *
 * `npm test` runs all four; `npm run test:fast` runs `standalone` and `database`.
 * CI: `npm test` on SQLite, then `--selectProjects database database-processes` on MariaDB.
 */
const STANDALONE = [
  'gateway/test/config.test.ts',
  'gateway/test/cors.test.ts',
  'gateway/test/entry-point.process.test.ts',
  'gateway/test/http-errors.test.ts',
  'gateway/test/no-outbound-connections.process.test.ts',
  'gateway/test/production-mode.process.test.ts',
  'gateway/test/query-limits-config.test.ts',
  'gateway/test/resilience-config.test.ts',
  'gateway/test/subgraph-down.test.ts',
  'gateway/test/subgraph-retry.test.ts',
  'gateway/test/token-lifetime-rules.test.ts',
  'gateway/test/token-lifetime.test.ts',
  'gateway/test/token-script.process.test.ts',
  'gateway/test/token-verifier.test.ts',
  'packages/contracts/test/contracts.test.ts',
  'packages/product-kinds/test/registry.test.ts',
  'packages/service-kit/test/identity.test.ts',
  'subgraphs/order/test/outbox-retry-policy.test.ts',
  'test/api-schema.test.ts',
  'test/chaos.process.test.ts',
  'test/cluster.process.test.ts',
  'test/compiled-build.process.test.ts',
  'test/deploy-manifests.process.test.ts',
  'test/docker-compose.test.ts',
  'test/dockerfile.test.ts',
  'test/package-boundaries.test.ts',
  'test/readme-examples.test.ts',
  'test/service-config.test.ts',
  'test/test-tiers.test.ts',
  'test/union-members.test.ts',
];

// A renamed or deleted file left in the list would silently move nothing; say so instead.
const missing = STANDALONE.filter((file) => !existsSync(path.join(__dirname, file)));
if (missing.length > 0) throw new Error(`jest.config.js STANDALONE lists files that do not exist: ${missing.join(', ')}`);

const PROCESS_TEST = /\.process\.test\.ts$/;
const absolute = (files) => files.map((file) => `<rootDir>/${file}`);

const common = {
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources (the `development` condition of their
  // `exports` maps), never to a stale or missing compiled dist/.
  testEnvironmentOptions: { customExportConditions: ['development', 'node', 'node-addons'] },
  rootDir: __dirname,
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile, which keeps them fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
};

const database = {
  ...common,
  roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', ...absolute(STANDALONE)],
};

module.exports = {
  maxWorkers: 2,
  // Global options: jest ignores `testTimeout` inside `projects` entries, where tests and hooks (beforeAll
  // starting processes) fell back to 5 s and failed on a loaded machine.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'standalone', testMatch: absolute(STANDALONE.filter((file) => !PROCESS_TEST.test(file))) },
    { ...common, displayName: 'standalone-processes', testMatch: absolute(STANDALONE.filter((file) => PROCESS_TEST.test(file))) },
    {
      ...database,
      displayName: 'database',
      testMatch: ['**/test/**/*.test.ts'],
      testPathIgnorePatterns: [...database.testPathIgnorePatterns, PROCESS_TEST.source],
    },
    { ...database, displayName: 'database-processes', testMatch: ['**/test/**/*.process.test.ts'] },
  ],
};
