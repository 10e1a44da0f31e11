/**
 * Prints a signed HS256 token for the local gateway, and nothing else on stdout, so it can be captured:
 *
 *   npm run -s token -- alice --admin
 *   TOKEN=$(npm run -s token -- alice --roles support,beta --expires 12h)
 *
 * It signs with the gateway's own configuration (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE from the
 * environment, or the development default), so the token matches a gateway started the same way.
 */
import { parseArgs } from 'node:util';
import { ADMIN_ROLE, ConfigError } from '@storefront/service-kit';
import { durationSeconds, loadGatewayConfig, signDevToken } from '@storefront/gateway';

const USAGE = `Usage: npm run token -- <userId> [--admin] [--roles a,b] [--expires 12h]

  <userId>        the token's subject (the user id subgraphs see)
  --admin         add the "${ADMIN_ROLE}" role (catalog writes need it)
  --roles a,b     comma-separated roles
  --expires SPAN  lifetime such as 30m, 12h (default 1h; at most the gateway's
                  JWT_MAX_TOKEN_LIFETIME, 24h by default)`;

function usage(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        admin: { type: 'boolean', default: false },
        roles: { type: 'string' },
        expires: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.error(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1 || positionals[0].trim() === '') usage('Expected exactly one user id.');
  // Same limits the gateway applies when it reads a token, so a token printed here is one it accepts.
  const userId = positionals[0].trim();
  if (!/^[\x21-\x7e]{1,255}$/.test(userId)) usage('The user id must be 1-255 printable characters without spaces.');
  const roles = (values.roles ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const badRole = roles.find((r) => !/^[A-Za-z0-9_.:-]{1,64}$/.test(r));
  if (badRole !== undefined) usage(`Invalid role "${badRole}": use letters, digits, _ . : or -.`);
  if (values.admin && !roles.includes(ADMIN_ROLE)) roles.push(ADMIN_ROLE);
  const lifetime = durationSeconds(values.expires);
  if (lifetime === null || lifetime === 0) usage(`Invalid --expires "${values.expires}": use a span such as 30m or 12h.`);

  const config = loadGatewayConfig();
  // The gateway refuses a token that lives longer than its maximum: say so here rather than print one.
  if (lifetime > config.jwt.maxLifetimeSeconds) {
    usage(
      `--expires ${values.expires} is longer than the gateway accepts (JWT_MAX_TOKEN_LIFETIME: ${config.jwt.maxLifetimeSeconds} s); ` +
        'use a shorter span or raise JWT_MAX_TOKEN_LIFETIME for both.',
    );
  }
  if (config.jwt.jwksUrl) {
    console.error('Note: JWT_JWKS_URL is set, so the gateway verifies tokens from your identity provider, not this one.');
  }
  const token = await signDevToken({
    userId,
    roles,
    secret: config.jwt.secret,
    expiresIn: lifetime,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error);
  process.exit(1);
});
