# syntax=docker/dockerfile:1
# The bot as one container: `docker build -t dim-bot .` then run it with the variables of
# .env.example (docker-compose.yml runs two instances, nginx and Redis). What this file does is
# exercised without Docker by test/production-bundle.test.ts: npm ci --omit=dev, npm run build,
# node dist/adapters/main.js from a directory laid out like /app below, and this HEALTHCHECK.

ARG NODE_IMAGE=node:20-slim

# ---- build: every dependency, TypeScript compiled to dist/ ----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/copy-build-assets.mjs ./scripts/
COPY src ./src
COPY adapters ./adapters
RUN npm run build

# ---- production: runtime dependencies, the compiled bundle and the corpus, as user node -----
FROM ${NODE_IMAGE} AS production
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
# Heap bounds: V8's defaults let a busy process hold ~190 MB (a 48 MB young generation, an old
# generation grown far past the ~50 MB it uses); these keep it near 120 MB at a small CPU cost
# (bench/RESULTS.md). Raise --max-old-space-size if nodejs_heap_size_used_bytes nears 128 MB.
ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128"
WORKDIR /app
# The voice line needs no system package: speech (eSpeak NG in WebAssembly) and the studio's
# conversions come from npm and run in worker processes; audio is cached in the AUDIO_DIR volume.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# CONTENT_FILE, LEXICON_FILE, CATALOG_DIR and TRANSLATIONS_DIR are read relative to the working
# directory (/app). content/i18n/ holds the catalogs, their reviews and the glossaries;
# content/translations/ the theme names, labels and summaries (without it a container serves no
# Bambara labels or summaries, silently). test/image-layout.test.ts checks these lines against
# what the service reads at start.
COPY content/recommendations.json content/lexicon.json ./content/
COPY content/i18n/ ./content/i18n/
COPY content/translations/ ./content/translations/
# DATA_DIR (./data): the opt-out journal and phone-hash key when no Redis is configured.
RUN mkdir -p /app/data/audio && chown -R node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# No curl in slim images: Node 20's fetch does the probe.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.status===200?0:1),()=>process.exit(1))"]
# main.ts finishes in-flight requests on SIGTERM (within SHUTDOWN_TIMEOUT_MS) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/adapters/main.js"]
