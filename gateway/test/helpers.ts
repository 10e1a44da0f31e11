import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { GraphQLResponse } from '@storefront/client';
import { freePort } from '@storefront/testing';
import { print } from 'graphql';

export interface RawResponse<TData> {
  status: number;
  headers: Headers;
  body: GraphQLResponse<TData>;
}

/** Like the client's `execute`, but keeps the HTTP status and headers, which the gateway's contract includes. */
export async function post<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  headers: Record<string, string> = {},
): Promise<RawResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<TData> };
}

export interface RecordingProxy {
  /** Same path as the target, on the proxy's port. */
  url: string;
  /** Headers of every request that went through, oldest first. */
  requests: http.IncomingHttpHeaders[];
  stop(): Promise<void>;
}

/**
 * A real HTTP hop between the gateway and a subgraph that writes down the headers it forwards: the one
 * place a test can see exactly what a subgraph receives, without changing either side.
 */
export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const requests: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ ...req.headers });
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port the OS just gave out and took back. */
export async function deadUrl(pathname = '/graphql'): Promise<string> {
  return `http://127.0.0.1:${await freePort()}${pathname}`;
}
