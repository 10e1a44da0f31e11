/**
 * What other packages (the harness, scripts) may use of the gateway: its server factory, configuration
 * and development tokens. `src/index.ts` starts the process; importing this does not.
 */
export { createGatewayServer, type GatewayServer } from './server';
export { DEV_JWT_SECRET, gatewayEnvShape, loadGatewayConfig, type GatewayConfig } from './config';
export { signDevToken, type DevTokenOptions } from './auth';
export { durationSeconds } from './token-lifetime';
