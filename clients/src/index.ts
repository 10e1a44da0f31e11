import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';

export * from '../generated/graphql';

export interface GraphQLResponse<TData> {
  data?: TData | null;
  errors?: GraphQLFormattedError[];
}

export interface RequestOptions {
  /** A JWT from your identity provider (or `npm run token` locally). */
  token?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * Sends one typed operation to the supergraph: variables and result are typed by the generated
 * document. Returns the whole response so callers can read `errors` next to partial `data`.
 */
export async function execute<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query: print(document), variables }),
    signal: options.signal,
  });
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLResponse<TData>;
  } catch {
    throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 200)}`);
  }
}

/** Like `execute`, but throws on GraphQL errors and returns `data`. */
export async function request<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<TData> {
  const result = await execute(url, document, variables, options);
  if (result.errors?.length || !result.data) {
    const detail = (result.errors ?? []).map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ');
    throw new Error(`GraphQL request failed: ${detail || 'no data'}`);
  }
  return result.data;
}
