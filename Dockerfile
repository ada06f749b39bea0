# syntax=docker/dockerfile:1
# ProximaDB Schema Registry: multi-stage build.
#   docker build -t proximadb-registry .
#   docker run -p 8081:8081 -v registry-data:/data proximadb-registry
#   docker run -p 8081:8081 -e DATABASE_URL=postgres://user:pass@db:5432/registry proximadb-registry
#     (PostgreSQL: run as many such containers as you like behind a load balancer; /data is then unused)

# --- Build: install everything, compile better-sqlite3 from source, emit dist/, drop dev dependencies.
FROM node:20-bookworm AS build
WORKDIR /app
# Compile the native module against this exact Node (no prebuilt binary download); the image ships the
# headers, so node-gyp needs no network for them either.
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- Runtime: slim image, non-root, the database on a volume.
FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=8081 \
    HOST=0.0.0.0 \
    DATABASE_PATH=/data/registry.db
# The build stage is the same Debian release and Node version, so the compiled addon runs here as is.
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json ./
COPY --chown=root:root migrations ./migrations
COPY --chown=root:root bin ./bin
COPY --chown=root:root schemas ./schemas
# The web UI's sources: the server bundles them in memory (esbuild, a runtime dependency) on first use.
COPY --chown=root:root ui/index.html ui/tsconfig.json ./ui/
COPY --chown=root:root ui/src ./ui/src
# Code stays root-owned (read-only for the service); only /data is writable by the service user.
RUN groupadd --system --gid 10001 registry \
 && useradd --system --uid 10001 --gid registry --home-dir /nonexistent --shell /usr/sbin/nologin registry \
 && mkdir -p /data && chown registry:registry /data
USER registry
VOLUME ["/data"]
EXPOSE 8081
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8081)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node as PID 1 gets SIGTERM from `docker stop` directly; index.ts drains and exits 0.
CMD ["node", "--no-memory-reducer", "dist/index.js"]
