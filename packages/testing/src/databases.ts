import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Temp folders of test databases start with this, so cleanup removes only its own. */
export const TEST_DIR_PREFIX = 'storefront-test-';

/**
 * Environment for a service under test: its own database, so test files run in parallel. Embedded
 * SQLite in a temp folder by default; MySQL/MariaDB when the suite runs with DATABASE_URL set.
 */
export function testDatabaseEnv(service: string): Record<string, string> {
  const prefix = service.toUpperCase();
  const name = `test_${service}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const env: Record<string, string> = {
    [`${prefix}_DATABASE_NAME`]: name,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), TEST_DIR_PREFIX)),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
  };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  return env;
}

export function usingMysql(): boolean {
  return Boolean(process.env.DATABASE_URL);
}
