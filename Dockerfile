# syntax=docker/dockerfile:1
# The apps' image: built once and run by docker-compose.yml as the projector and the query API (each with its own
# command). Without a command it runs the all-in-one embedded store, listening on every interface of the container.
# Node.js 22 is an LTS line, and one of the two the test command runs (npm test: the machine's and scripts/node22/);
# not 24 yet, whose releases from 24.19 on abort on better-sqlite3 12 (see scripts/node22/install.sh).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps apps
COPY libs libs
# Only what runs is kept: production dependencies, and of the native addon its compiled file, not its sources.
RUN npm run build \
  && npm prune --omit=dev \
  && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
  && find node_modules/better-sqlite3/build -type f ! -name better_sqlite3.node -delete

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
  HTTP_HOST=0.0.0.0 \
  HTTP_PORT=3000 \
  DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# `session-store` (the audit CLI) on PATH: `docker compose exec query-api session-store verify`.
COPY apps/cli/bin/session-store.js apps/cli/bin/session-store.js
RUN mkdir data && chown node:node data && ln -s /app/apps/cli/bin/session-store.js /usr/local/bin/session-store
USER node
# The start-up smoke check: the image's own files, as its own user, start the embedded store and answer /health;
# the script is mounted for this step only and leaves nothing behind.
RUN --mount=type=bind,source=scripts/image-smoke-check.sh,target=/tmp/image-smoke-check.sh \
  sh /tmp/image-smoke-check.sh
# The embedded profile's SQLite file and ingest token.
VOLUME /app/data
EXPOSE 3000
CMD ["node", "dist/apps/store/src/main.js"]
