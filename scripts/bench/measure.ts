/** Measuring: pre-flight checks, warm-up, and arms taking turns in ABBA slices. */
import { type ProductsQuery } from '@storefront/client';
import { dataOf, postGraphQL, type Target } from '../lib/graphql-http';
import { failuresOf, runLoad, summarize, type LoadResult, type LoadSlice } from '../lib/load';
import { Arm, Group, PRODUCTS_QUERY } from './scenarios';
import { Interrupted, assertServicesAlive, runState } from './services';
import { SLICE_SECONDS, WARMUP_SECONDS } from './settings';

/** One request per scenario and target, fully checked, so a misconfiguration fails before any load. */
export async function preflight({ scenario, target }: Arm): Promise<void> {
  const { body, headers } = scenario.request(0);
  const { status, json } = await postGraphQL(target, body, headers);
  const problem =
    status !== 200
      ? `HTTP ${status}`
      : json.errors
        ? `GraphQL errors`
        : json.data
          ? scenario.check(json.data)
          : 'no data';
  if (problem) {
    throw new Error(`Pre-flight of ${scenario.name} via ${target.name} failed (${problem}): ${JSON.stringify(json).slice(0, 500)}`);
  }
}

/** Between set-up requests: stop on Ctrl-C, and explain a failure by a service that died. */
export function checkpoint(): void {
  if (runState.interrupted) throw new Interrupted();
  assertServicesAlive();
}

/** Walks the first pages of the plain listing through the catalog to collect real `after` cursors. */
export async function listingCursors(direct: Target, pages: number): Promise<(string | null)[]> {
  const cursors: (string | null)[] = [null];
  while (cursors.length < pages) {
    const response = await postGraphQL(direct, { query: PRODUCTS_QUERY, variables: { first: 20, after: cursors.at(-1) } });
    const page = dataOf<ProductsQuery>('Reading the listing', response).products;
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    cursors.push(page.pageInfo.endCursor);
  }
  return cursors;
}

export type Measurements = Map<Arm, LoadResult>;

/** Slices per arm: an even number (ABBA), each about SLICE_SECONDS. */
export function roundsFor(seconds: number): number {
  return Math.max(2, 2 * Math.round(seconds / (2 * SLICE_SECONDS)));
}

/**
 * Measures a group's arms. They take turns in slices of about SLICE_SECONDS in ABBA order (direct,
 * gateway, gateway, direct, ...; 1, 10, 100, 100, 10, 1, ... lines), so load from other processes that
 * comes and goes during the run falls on all alike instead of skewing the ratios. Each arm gets
 * `seconds` in all, or `requestsPerSlice` requests per slice when its scenario sets it.
 */
export async function measureGroup(group: Group, seconds: number, connections: number, into: Measurements): Promise<void> {
  const { arms } = group;
  const run = ({ scenario, target }: Arm, runSeconds: number, amount?: number) =>
    runLoad({
      url: target.url,
      headers: target.headers,
      connections,
      seconds: runSeconds,
      amount,
      request: (i) => scenario.request(i),
      verify: scenario.verify && ((body) => scenario.verify?.(body)),
    });
  const label = ({ scenario, target }: Arm) => `${scenario.name} via ${target.name}`;
  if (runState.interrupted) throw new Interrupted();
  // Warm-up: JIT, connection pools, query plan caches and the database page cache settle before measuring.
  for (const arm of arms) {
    if (arm.scenario.warmupRequests === 0) continue;
    const warmup = await run(arm, Math.min(WARMUP_SECONDS, seconds), arm.scenario.warmupRequests);
    assertMostlySucceeded(label(arm), summarize([warmup]));
  }

  const rounds = roundsFor(seconds);
  const slices = new Map<Arm, LoadSlice[]>(arms.map((arm) => [arm, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const arm of round % 2 === 0 ? arms : [...arms].reverse()) {
      const slice = await run(arm, seconds / rounds, arm.scenario.requestsPerSlice);
      assertMostlySucceeded(label(arm), summarize([slice]));
      slices.get(arm)?.push(slice);
    }
  }
  for (const arm of arms) {
    const result = summarize(slices.get(arm) ?? []);
    console.log(
      `  ${label(arm)}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${failuresOf(result)} errors`,
    );
    into.set(arm, result);
  }
}

export function assertMostlySucceeded(label: string, result: LoadResult): void {
  if (runState.interrupted) throw new Interrupted();
  assertServicesAlive();
  const attempted = result.completed + result.socketErrors;
  const failed = failuresOf(result);
  if (attempted === 0 || failed > attempted / 2) {
    throw new Error(
      `${label}: ${failed} of ${attempted} requests failed (non-2xx ${result.non2xx}, GraphQL errors ${result.graphqlErrors}, ` +
        `invalid ${result.invalid}, no response ${result.socketErrors}); aborting.\nFirst failure: ${result.firstFailure ?? 'none recorded'}`,
    );
  }
}
