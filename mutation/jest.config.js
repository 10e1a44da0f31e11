/**
 * The jest run StrykerJS drives for one group of mutation/groups.cjs (MUTATION_GROUP): that group's
 * in-process suites in one project, on embedded SQLite. Stryker activates a mutant inside the jest
 * worker, which is where in-process stacks run every service.
 */
// @ts-nocheck

const path = require('node:path');
const groups = require('./groups.cjs');
const base = require('../jest.config.js');

const group = groups[process.env.MUTATION_GROUP ?? ''];
if (!group) throw new Error(`MUTATION_GROUP must be one of: ${Object.keys(groups).join(', ')}`);
const root = path.resolve(__dirname, '..');

module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  // Workspace packages from their sources (the `development` export condition), as in `npm test`.
  testEnvironmentOptions: base.projects[0].testEnvironmentOptions,
  transform: base.projects[0].transform,
  testTimeout: base.testTimeout,
  roots: ['<rootDir>/packages', '<rootDir>/subgraphs', '<rootDir>/gateway', '<rootDir>/test'],
  testMatch: group.tests.map((file) => `<rootDir>/${file}`),
};
