/**
 * Load generation with autocannon for GraphQL endpoints: one timed run of one request sequence against
 * one URL, with every response checked (HTTP 200, no GraphQL `errors`, and the run's own `verify`, for
 * example empty `userErrors`), because a server that answers errors quickly would otherwise look fast.
 */

import { performance } from 'node:perf_hooks';

// autocannon ships no type definitions and @types/autocannon is not installed: this is the part we use.
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | null;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

interface AutocannonOptions {
  url: string;
  method: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
  /** A number of requests to send instead of a duration. */
  amount?: number;
  requests: AutocannonRequest[];
  /** Return the raw result (encoded histograms), so several runs can be merged by aggregateResult. */
  skipAggregateResult: true;
}

/** A run's raw result; aggregateResult needs the rest of it too, so it is passed along untouched. */
interface RawResult {
  totalCompletedRequests: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Seconds. */
  duration: number;
}

interface Histogram {
  p50: number;
  p99: number;
}

interface AggregatedResult {
  latency: Histogram;
}

interface AutocannonInstance {
  stop(): void;
  /** A request that got no response: connection refused or reset, or a timeout. */
  on(event: 'reqError', listener: (error: Error) => void): void;
}

interface Autocannon {
  (options: AutocannonOptions, done: (error: Error | null, result: RawResult) => void): AutocannonInstance;
  aggregateResult(results: RawResult[], options: { url: string; connections: number }): AggregatedResult;
}

const autocannon = require('autocannon') as Autocannon;

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** One request: its GraphQL body, and headers of its own (a user's token) on top of the run's. */
export interface LoadRequest {
  body: GraphQLRequest;
  headers?: Record<string, string>;
}

export interface LoadRun {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Send exactly this many requests instead of running `seconds` (at least `connections`). */
  amount?: number;
  /** The i-th request of this run (i counts from 0 in every run, so every target gets the same sequence). */
  request(i: number): LoadRequest;
  /**
   * Checks a 2xx body without GraphQL errors further (`userErrors` empty, the expected cart); returns
   * what is wrong, if anything. Runs on every response, so it should be cheap: no full parse if avoidable.
   */
  verify?(body: string): string | undefined;
}

/** One run: autocannon's raw result plus our own checks of the responses. */
export interface LoadSlice {
  url: string;
  connections: number;
  raw: RawResult;
  /**
   * How long the run took. autocannon ends a run at its next 1-second sample tick, and counts the wait:
   * right for a timed run (requests go on until that tick), not for a fixed amount, where the last
   * response may come well before it. So for an amount: from the start to the last response.
   */
  seconds: number;
  non2xx: number;
  graphqlErrors: number;
  invalid: number;
  firstFailure?: string;
}

/** One or more runs against the same target, merged. */
export interface LoadResult {
  /** Completed responses per second, whatever their status. */
  requestsPerSecond: number;
  /** Latency of 2xx responses, milliseconds (autocannon's histogram has 1 ms resolution). */
  p50Ms: number;
  p99Ms: number;
  completed: number;
  non2xx: number;
  /** 200 responses whose body carries GraphQL `errors`. */
  graphqlErrors: number;
  /** 2xx responses without GraphQL `errors` that the run's `verify` refused (userErrors, unexpected data). */
  invalid: number;
  /** Connection errors and timeouts: requests that got no response at all. */
  socketErrors: number;
  /** The first failing response, to show when a run is aborted. */
  firstFailure?: string;
}

let running: AutocannonInstance | undefined;

/** Stops the run in progress (Ctrl-C); its promise still resolves with what was measured so far. */
export function stopLoad(): void {
  running?.stop();
}

/** True when a GraphQL response body has a top-level `errors` entry. */
export function hasGraphQLErrors(body: string): boolean {
  // Most bodies are clean and some are tens of kilobytes: skip the parse when "errors" cannot be there,
  // so the checking does not eat the CPU the servers under test need.
  if (!body.includes('"errors"')) return false;
  try {
    const parsed = JSON.parse(body) as { errors?: unknown };
    return parsed.errors !== undefined;
  } catch {
    return true;
  }
}

export function runLoad(run: LoadRun): Promise<LoadSlice> {
  let sent = 0;
  let lastAnswer = 0;
  const slice = {
    url: run.url,
    connections: run.connections,
    non2xx: 0,
    graphqlErrors: 0,
    invalid: 0,
    firstFailure: undefined as string | undefined,
  };
  const request: AutocannonRequest = {
    // Called for every request, so the body can rotate ids and cursors, and the headers users.
    setupRequest: (req) => {
      const next = run.request(sent++);
      // autocannon merges these over the run's headers.
      return { ...req, body: JSON.stringify(next.body), headers: next.headers ? { ...req.headers, ...next.headers } : req.headers };
    },
    onResponse: (status, body) => {
      lastAnswer = performance.now();
      const ok = status >= 200 && status < 300;
      if (ok && !hasGraphQLErrors(body)) {
        const problem = run.verify?.(body);
        if (problem === undefined) return;
        slice.invalid += 1;
        slice.firstFailure ??= `HTTP ${status}, ${problem}: ${body.slice(0, 500)}`;
        return;
      }
      if (ok) slice.graphqlErrors += 1;
      else slice.non2xx += 1;
      slice.firstFailure ??= `HTTP ${status}: ${body.slice(0, 500)}`;
    },
  };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: run.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...run.headers },
        connections: run.connections,
        duration: run.seconds,
        ...(run.amount === undefined ? {} : { amount: Math.max(run.amount, run.connections) }),
        requests: [request],
        skipAggregateResult: true,
      },
      (error, raw) => {
        running = undefined;
        if (error) return reject(error);
        const answered = lastAnswer > started ? (lastAnswer - started) / 1000 : raw.duration;
        resolve({ ...slice, raw, seconds: run.amount === undefined ? raw.duration : Math.min(raw.duration, answered) });
      },
    );
    running = instance;
    instance.on('reqError', (error) => {
      lastAnswer = performance.now();
      slice.firstFailure ??= `no response: ${error.message}`;
    });
  });
}

/** Merges runs against one target: latency percentiles over all responses, throughput over all the time. */
export function summarize(slices: LoadSlice[]): LoadResult {
  if (slices.length === 0) throw new Error('Nothing to summarize.');
  const merged = autocannon.aggregateResult(
    slices.map((s) => s.raw),
    { url: slices[0].url, connections: slices[0].connections },
  );
  const sum = (of: (s: LoadSlice) => number) => slices.reduce((total, s) => total + of(s), 0);
  const completed = sum((s) => s.raw.totalCompletedRequests);
  const seconds = sum((s) => s.seconds);
  return {
    requestsPerSecond: seconds > 0 ? completed / seconds : 0,
    p50Ms: merged.latency.p50,
    p99Ms: merged.latency.p99,
    completed,
    non2xx: sum((s) => s.non2xx),
    graphqlErrors: sum((s) => s.graphqlErrors),
    invalid: sum((s) => s.invalid),
    socketErrors: sum((s) => s.raw.errors),
    firstFailure: slices.find((s) => s.firstFailure)?.firstFailure,
  };
}

/** Requests that failed in any way: no response, a non-2xx status, GraphQL errors, or a failed `verify`. */
export function failuresOf(result: LoadResult): number {
  return result.non2xx + result.graphqlErrors + result.invalid + result.socketErrors;
}
