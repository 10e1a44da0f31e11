import { randomUUID } from 'node:crypto';
import { createLogger, serviceContext, type CallerContext, type Database, type ServiceContext } from '@storefront/service-kit';

/**
 * A service context for calling a service method directly, as a resolver would for a request by
 * `userId` (anonymous without): a fresh request id, a silent logger, the service's own database.
 */
export function testContext(database: Database, userId: string | null = null): ServiceContext {
  return serviceContext(database, { requestId: `test-${randomUUID()}`, viewer: { userId, roles: [] }, logger: createLogger('test', 'silent') });
}

/** The caller a test names when it calls a service's internal API itself, as another service would. */
export const TEST_CALLER: CallerContext = { requestId: 'test-caller' };
