import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import type { Database } from './data-source';
import { NO_VIEWER, type Viewer } from './identity';

/**
 * What every service method gets first: who asked, which request the work belongs to, a logger that
 * says so on every line, and where its queries run. Background work (recovery, the outbox relay) builds
 * one from the request id stored with the work it picks up, so its log lines and the calls it makes to
 * other services carry the id of the request that caused them.
 */
export interface ServiceContext {
  /** The gateway's request id (`x-request-id`), or the stored one of the request whose work this is. */
  readonly requestId: string;
  /** Who asked; background work acts for nobody (anonymous). */
  readonly viewer: Viewer;
  /** The service's logger bound to `requestId`. */
  readonly logger: Logger;
  /** Where queries run: the database's manager, or the open transaction's inside `transaction`. */
  readonly manager: EntityManager;
  /**
   * Runs `work` in a transaction bound to the context it is given (`manager` is the transaction's);
   * called inside one, it joins it. The database retries a deadlocked transaction whole, so `work`
   * makes no calls to other services.
   */
  transaction<T>(work: (ctx: ServiceContext) => Promise<T>): Promise<T>;
}

/** Where a context comes from: a request (its id, viewer and request logger), or stored work. */
export interface ContextOrigin {
  requestId: string;
  viewer: Viewer;
  logger: Logger;
}

/** The context of a request, or of stored work resumed in the background. */
export function serviceContext(database: Database, origin: ContextOrigin): ServiceContext {
  const bound = (manager: EntityManager, inTransaction: boolean): ServiceContext => {
    const ctx: ServiceContext = {
      requestId: origin.requestId,
      viewer: origin.viewer,
      logger: origin.logger,
      manager,
      transaction: (work) => (inTransaction ? work(ctx) : database.transaction((tx) => work(bound(tx, true)))),
    };
    return ctx;
  };
  return bound(database.manager, false);
}

/**
 * Background work for the request `requestId` (stored with the work; a fresh id when the work has
 * none, e.g. rows written before request ids were stored): anonymous, logging with that id.
 */
export function backgroundContext(database: Database, logger: Logger, requestId: string | null | undefined): ServiceContext {
  const id = requestId ?? randomUUID();
  return serviceContext(database, { requestId: id, viewer: NO_VIEWER, logger: logger.child({ requestId: id }) });
}
