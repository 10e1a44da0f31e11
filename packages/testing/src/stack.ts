import { execute, type GraphQLResponse } from '@storefront/client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startCatalog, type RunningCatalog } from './catalog';

export interface Caller {
  userId: string;
  admin?: boolean;
}

export interface CatalogStack {
  catalog: RunningCatalog;
  /** The public endpoint clients use. */
  url: string;
  /** Runs a typed operation as an anonymous visitor, or as `caller`. */
  run<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    caller?: Caller,
  ): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export const ADMIN: Caller = { userId: 'admin-1', admin: true };
export const SHOPPER: Caller = { userId: 'shopper-1' };

/** The catalog subgraph with its own empty database, reached the way a client reaches it. */
export async function startCatalogStack(): Promise<CatalogStack> {
  const catalog = await startCatalog();
  return {
    catalog,
    url: catalog.url,
    run: (document, variables, caller) =>
      execute(catalog.url, document, variables, {
        headers: catalog.headers(caller ? { userId: caller.userId, roles: caller.admin ? ['admin'] : [] } : undefined),
      }),
    stop: () => catalog.stop(),
  };
}
