# kzuz-news-bot: build the TypeScript in one stage, run it from a slim one with production
# dependencies only. Build: `docker build -t kzuz-news-bot .`; run: see docker-compose.yml and
# docs/production.md.

# ---- build: full dependency set, compile src/ to dist/
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci: exactly the locked versions; it fails when the lock and package.json disagree.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# No source maps: they point at src/, which the image does not carry, and nothing loads them.
RUN npm run build -- --sourceMap false

# ---- runtime: production dependencies, compiled code, data and locales; no compiler, no tests
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=8080
# DejaVu gives the rates chart Cyrillic and Latin glyphs; the slim image has no fonts at all.
# Unpinned on purpose: the release's current package carries its security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# The cache and npm's own log directory go in the same layer, so neither ships in the image.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm
# Owned by root and read-only to the app: the bot keeps its state in Redis, never on disk.
COPY --from=build /app/dist ./dist
COPY data ./data
COPY locales ./locales
COPY bin ./bin
USER node
# Health and metrics server (GET /healthz, /readyz, /metrics) and, in webhook mode, the webhook.
EXPOSE 8080
# Liveness through node itself: the slim image has neither curl nor wget.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# node itself as the main process, so SIGTERM reaches the bot's own graceful shutdown.
CMD ["node", "dist/main.js"]
