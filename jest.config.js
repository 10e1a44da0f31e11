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
  'gateway/test/entry-point.test.ts',
  'gateway/test/no-outbound-connections.test.ts',
  'gateway/test/subgraph-down.test.ts',
  'gateway/test/token-script.test.ts',
  'packages/product-kinds/test/registry.test.ts',
  'packages/service-kit/test/identity.test.ts',
  'test/api-schema.test.ts',
  'test/docker-compose.test.ts',
  'test/readme-examples.test.ts',
  'test/union-members.test.ts',
];

const common = {
  testEnvironment: 'node',
  transform: {
    // Type checking is `npm run typecheck`'s job; tests only transpile, which keeps them fast.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60_000,
};

module.exports = {
  maxWorkers: 2,
  // Also here: jest 30 reads testTimeout from the top level only, not from each project.
  testTimeout: common.testTimeout,
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
