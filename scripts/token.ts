/**
 * Prints a signed HS256 token for the local gateway, and nothing else on stdout, so it can be captured:
 *
 *   npm run -s token -- alice --admin
 *   TOKEN=$(npm run -s token -- alice --roles support,beta --expires 7d)
 *
 * It signs with the gateway's own configuration (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE from the
 * environment, or the development default), so the token matches a gateway started the same way.
 */
import { parseArgs } from 'node:util';
import { ADMIN_ROLE, ConfigError } from '@storefront/service-kit';
import { signDevToken } from '@storefront/gateway/src/auth';
import { loadGatewayConfig } from '@storefront/gateway/src/config';

const USAGE = `Usage: npm run token -- <userId> [--admin] [--roles a,b] [--expires 7d]

  <userId>        the token's subject (the user id subgraphs see)
  --admin         add the "${ADMIN_ROLE}" role (catalog writes need it)
  --roles a,b     comma-separated roles
  --expires SPAN  lifetime such as 30m, 12h, 7d (default 1h)`;

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
  if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks|y|year|years)$/i.test(values.expires)) {
    usage(`Invalid --expires "${values.expires}": use a span such as 30m, 12h or 7d.`);
  }

  const config = loadGatewayConfig();
  if (config.jwt.jwksUrl) {
    console.error('Note: JWT_JWKS_URL is set, so the gateway verifies tokens from your identity provider, not this one.');
  }
  const token = await signDevToken({
    userId,
    roles,
    secret: config.jwt.secret,
    expiresIn: values.expires,
    issuer: config.jwt.issuer,
    audience: config.jwt.audience,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? error.message : error);
  process.exit(1);
});
