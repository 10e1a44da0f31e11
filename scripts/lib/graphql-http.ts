/** One GraphQL request over HTTP with fetch, for the bench's set-up and pre-flights (the load is autocannon). */
import type { GraphQLRequest } from './load';

/** Where requests go: a name for the table, the endpoint, and the headers every request to it carries. */
export interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

export interface GraphQLResponse {
  status: number;
  json: { data?: unknown; errors?: unknown[] };
}

export async function postGraphQL(target: Target, body: GraphQLRequest, headers: Record<string, string> = {}): Promise<GraphQLResponse> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers, ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, json: JSON.parse(text) as GraphQLResponse['json'] };
  } catch {
    throw new Error(`${target.name} (${target.url}) answered HTTP ${response.status} with a non-JSON body: ${text.slice(0, 300)}`);
  }
}

/** The response's `data`, or an error saying what was wrong (status, GraphQL errors, no data). */
export function dataOf<T>(what: string, response: GraphQLResponse): T {
  const { status, json } = response;
  const problem = status !== 200 ? `HTTP ${status}` : json.errors ? 'GraphQL errors' : json.data ? undefined : 'no data';
  if (problem) throw new Error(`${what} failed (${problem}): ${JSON.stringify(json).slice(0, 500)}`);
  return json.data as T;
}
