// @ts-nocheck
// 
/**
 * Mutation testing (`npm run mutation`): StrykerJS plants one bug at a time in a module that holds rules
 * and runs the tests that cover it; a mutant no test notices is a rule no test guards. One group of
 * mutation/groups.cjs per run (MUTATION_GROUP); scripts/mutation.ts runs them all and writes the scores.
 * See README "Mutation testing".
 */
import { createRequire } from 'node:module';

const groups = createRequire(import.meta.url)('./mutation/groups.cjs');
const name = process.env.MUTATION_GROUP ?? '';
const group = groups[name];
if (!group) throw new Error(`MUTATION_GROUP must be one of: ${Object.keys(groups).join(', ')}`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  // The group's suites are named in mutation/groups.cjs; jest's related-test search cannot follow the
  // workspace packages' `development` export condition, so it is not used.
  jest: { configFile: 'mutation/jest.config.js', enableFindRelatedTests: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The workspaces import each other through node_modules links to the real folders, which a sandbox
  // copy would bypass: mutate the files where they are (Stryker restores them when it ends).
  inPlace: true,
  // Tests only transpile (ts-jest without diagnostics), so no file needs `// @ts-nocheck`: leave every
  // file but the mutated ones untouched.
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  plugins: ['@stryker-mutator/*', './mutation/ignore-logging.mjs'],
  ignorers: ['logging'],
  mutate: group.mutate,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // Reruns test only the mutants and tests that changed since the last run of this group.
  incremental: true,
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  // One checker and one test runner; the checker's slot becomes a second runner once every mutant is
  // type-checked. More than the two cores only turns slow tests into false "timeout" kills.
  concurrency: 2,
  dryRunTimeoutMinutes: 30,
  timeoutMS: 30_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
