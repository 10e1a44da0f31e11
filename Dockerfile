# One image for every service: docker-compose.yml and the Kubernetes manifests (deploy/) pick the command
# per service (`node subgraphs/<name>/dist/index.js`, `node gateway/dist/index.js`, and the migration
# Job's `node subgraphs/<name>/dist/migrate.js`). The image holds compiled JavaScript and production
# dependencies only, and runs plain `node` as an unprivileged user. test/dockerfile.test.ts checks this
# file; test/compiled-build.process.test.ts runs what it copies.

# The workspace manifests and a compiler for native addons, shared by the two stages that install.
FROM node:20-bookworm-slim AS toolchain
WORKDIR /app
# better-sqlite3 is a native addon: build tools in case no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/product-kinds/package.json packages/product-kinds/
COPY packages/contracts/package.json packages/contracts/
COPY packages/testing/package.json packages/testing/
COPY subgraphs/catalog/package.json subgraphs/catalog/
COPY subgraphs/cart/package.json subgraphs/cart/
COPY subgraphs/order/package.json subgraphs/order/
COPY gateway/package.json gateway/
COPY clients/package.json clients/

# TypeScript to JavaScript: every workspace package into its own dist/ (`npm run build`, tsc -b).
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# What the services need at run time, and nothing else: no TypeScript, no tsx, no test tools.
FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/package.json ./
# The gateway serves the committed, statically composed supergraph (SUPERGRAPH_PATH's default).
COPY --from=build /app/supergraph.graphql ./
# Each package the services import: its manifest (whose `exports` map sends plain Node to dist/) and its
# compiled JavaScript. node_modules/@storefront/* link here.
COPY --from=build /app/packages/service-kit/package.json packages/service-kit/
COPY --from=build /app/packages/service-kit/dist packages/service-kit/dist
COPY --from=build /app/packages/contracts/package.json packages/contracts/
COPY --from=build /app/packages/contracts/dist packages/contracts/dist
COPY --from=build /app/packages/product-kinds/package.json packages/product-kinds/
COPY --from=build /app/packages/product-kinds/dist packages/product-kinds/dist
COPY --from=build /app/subgraphs/catalog/package.json subgraphs/catalog/
COPY --from=build /app/subgraphs/catalog/dist subgraphs/catalog/dist
COPY --from=build /app/subgraphs/cart/package.json subgraphs/cart/
COPY --from=build /app/subgraphs/cart/dist subgraphs/cart/dist
COPY --from=build /app/subgraphs/order/package.json subgraphs/order/
COPY --from=build /app/subgraphs/order/dist subgraphs/order/dist
COPY --from=build /app/gateway/package.json gateway/
COPY --from=build /app/gateway/dist gateway/dist
# The subgraphs read their SDL files at run time, from src/schema whether compiled or not (type-defs.ts).
COPY --from=build /app/subgraphs/catalog/src/schema subgraphs/catalog/src/schema
COPY --from=build /app/subgraphs/cart/src/schema subgraphs/cart/src/schema
COPY --from=build /app/subgraphs/order/src/schema subgraphs/order/src/schema
# The base image's `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user. The
# files above stay root's, so the running service cannot change its own code.
USER 1000:1000
EXPOSE 4000 4001 4002 4003
# Node runs as PID 1 without an init: every service handles SIGTERM and SIGINT itself (exitOnSignals).
CMD ["node", "gateway/dist/index.js"]
