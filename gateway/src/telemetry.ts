/**
 * What the gateway may send to Apollo. `@apollo/gateway` 2.14+ builds an OpenTelemetry metrics exporter
 * to Apollo's servers, with cloud resource detectors that probe metadata addresses (169.254.169.254,
 * 100.100.100.200) and DNS, in the `ApolloGateway` constructor, unless `APOLLO_TELEMETRY_DISABLED` is
 * `1`/`true` at that moment. Nothing may leave the machine unless the operator asks, so the gateway
 * decides it here, in code, right before it constructs the gateway: no entry point (index.ts, tests,
 * scripts, an embedding app) can forget it.
 *
 * Apollo Server's usage and schema reporting only start with an `APOLLO_KEY`; the gateway disables them
 * explicitly too (server.ts), so a key left in an environment sends nothing either.
 */
export function applyApolloTelemetryChoice(optedIn: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (optedIn) delete env.APOLLO_TELEMETRY_DISABLED;
  else env.APOLLO_TELEMETRY_DISABLED = '1';
}
