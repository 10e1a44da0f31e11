import { execute, type GraphQLResponse } from '@storefront/client';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { startCatalog, type RunningCatalog } from './catalog';
import { startGateway, tokenFor, type RunningGateway } from './gateway';

export interface Caller {
  userId: string;
  admin?: boolean;
}

export interface CatalogStack {
  catalog: RunningCatalog;
  gateway: RunningGateway;
  /** The public endpoint clients use: the gateway. */
  url: string;
  /** Runs a typed operation through the gateway as an anonymous visitor, or signed in as `caller`. */
  run<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    caller?: Caller,
  ): Promise<GraphQLResponse<TData>>;
  stop(): Promise<void>;
}

export const ADMIN: Caller = { userId: 'admin-1', admin: true };
export const SHOPPER: Caller = { userId: 'shopper-1' };

/** The catalog subgraph (own empty database) behind a gateway, both on free ports, over real HTTP. */
export async function startCatalogStack(): Promise<CatalogStack> {
  const catalog = await startCatalog();
  const gateway = await startGateway({ catalog: { url: catalog.url, secret: catalog.config.secret } });
  return {
    catalog,
    gateway,
    url: gateway.url,
    run: async (document, variables, caller) =>
      execute(gateway.url, document, variables, {
        token: caller ? await tokenFor(caller.userId, { admin: caller.admin }) : undefined,
      }),
    async stop() {
      await gateway.stop();
      await catalog.stop();
    },
  };
}
