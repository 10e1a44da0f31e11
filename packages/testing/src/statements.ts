import type { Database } from '@storefront/service-kit';

/**
 * Calls `listener` with each SQL statement a service sends (with its parameters), just before it goes
 * out, through the service's statement logger. Returns the function that stops listening.
 */
export function watchStatements(database: Database, listener: (query: string, parameters: unknown[]) => void): () => void {
  const { statements } = database;
  const original = statements.logQuery.bind(statements);
  // TypeORM passes the parameters as a second argument, which the kit's logger does not declare.
  const watch = (query: string, parameters?: unknown[]) => {
    listener(query, parameters ?? []);
    original(query);
  };
  const spy = jest.spyOn(statements, 'logQuery').mockImplementation(watch as (query: string) => void);
  return () => spy.mockRestore();
}
