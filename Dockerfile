# One image for every service; docker-compose.yml picks the entry point per service.
FROM node:20-bookworm-slim
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
RUN npm ci --no-audit --no-fund
COPY . .
# The services run compiled JavaScript (each package's dist/, through its exports map), not tsx.
RUN npm run build
USER node
ENV NODE_ENV=production
