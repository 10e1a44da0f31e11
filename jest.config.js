/**
 * One jest run covers every workspace; each test file gets its own databases, so files run in parallel.
 *
 * Two projects: `standalone` tests touch no database (configuration, composition, the gateway alone,
 * files such as docker-compose.yml), so CI runs them once; `database` tests run once per database
 * (`DATABASE_URL` unset: embedded SQLite; set: MySQL/MariaDB). `npm test` runs both.
 * CI: `npm test` on SQLite, then `npm test -- --selectProjects database` on MariaDB.
 */
const STANDALONE = [
  'gateway/test/config.test.ts',
  'gateway/test/cors.test.ts',
  'gateway/test/entry-point.test.ts',
  'gateway/test/http-errors.test.ts',
  'gateway/test/no-outbound-connections.test.ts',
  'gateway/test/production-mode.test.ts',
  'gateway/test/query-limits-config.test.ts',
  'gateway/test/resilience-config.test.ts',
  'gateway/test/subgraph-down.test.ts',
  'gateway/test/subgraph-retry.test.ts',
  'gateway/test/token-lifetime.test.ts',
  'gateway/test/token-script.test.ts',
  'packages/product-kinds/test/registry.test.ts',
  'packages/service-kit/test/identity.test.ts',
  'test/api-schema.test.ts',
  'test/docker-compose.test.ts',
  'test/readme-examples.test.ts',
  'test/service-config.test.ts',
  'test/union-members.test.ts',
];

const common = {
  testEnvironment: 'node',
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile, which keeps them fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
};

module.exports = {
  maxWorkers: 2,
  // Global options: jest ignores `testTimeout` inside `projects` entries, where tests and hooks (beforeAll
  // starting processes) fell back to 5 s and failed on a loaded machine.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'standalone', rootDir: __dirname, testMatch: STANDALONE.map((file) => `<rootDir>/${file}`) },
    {
      ...common,
      displayName: 'database',
      rootDir: __dirname,
      roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test'],
      testMatch: ['**/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...STANDALONE.map((file) => `<rootDir>/${file}`)],
    },
  ],
};
