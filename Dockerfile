# The apps' image: built once, run by docker-compose.yml as the projector and the query API (each with its
# own command). Without a command it runs the all-in-one embedded store.

FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The embedded profile keeps its SQLite file under DATA_DIR (./data by default).
RUN mkdir data && chown node:node data
USER node
CMD ["node", "dist/apps/store/src/main.js"]
