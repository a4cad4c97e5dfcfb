# Builds any app: docker build --build-arg APP=contacts -t crm/contacts .
# At start the container applies its service's migrations, then runs the app.
# Checked by apps/system-checks/src/docker/dockerfile.spec.ts (layout against `nx build <app>`).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
RUN test -n "$APP" || { echo 'build with --build-arg APP=<app> (a folder of apps/)' >&2; exit 1; }
WORKDIR /repo
ENV NX_DAEMON=false NX_NO_CLOUD=true CHECKPOINT_DISABLE=1
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run prisma:generate && npx nx build ${APP}

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /repo
COPY package.json package-lock.json ./
# Production dependencies only. They include the Prisma CLI for `migrate deploy`: the lockfile
# installs `prisma` as @prisma/client's peer (the dockerfile spec checks it is not dev-only).
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP} CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
# Memory (`npm run bench:rss`): glibc limited to two malloc arenas (up to 8 per core otherwise).
# --expose-gc: once up, each service runs one memory-reducing collection (releaseStartupMemory in
# @crm/observability), handing back the pages start-up's garbage left pooled in V8's heap (~15 MiB
# of an idle gateway; nothing else calls gc). With it, each service idles at ~120-140 MiB.
# Young generation: 32 MiB semi-spaces. A request's objects then die young; a 25-row page relayed
# by the gateway (board, order history) allocates enough that 16 MiB cost its CPU 10-25% more per
# request. Capped at 2 MiB (tried for idle memory: 0-4 MiB less once the collection above came),
# the gateway spent 20-45% more CPU per request and the contacts service 15-25% more, and the
# integration gateway's streamed uploads filled the old generation (+170 MiB RSS on a 105 MB
# upload; +1 MiB at 16). V8's own default grows to 64 MiB: no faster here, more memory under load.
# Figures: bench/results/idle-rss.md.
# Set in the environment, so that every node the image runs gets them.
ENV NODE_OPTIONS="--max-semi-space-size=32 --expose-gc" MALLOC_ARENA_MAX=2
WORKDIR /app
# The app's webpack bundle (main.js; the generated Prisma client is bundled into it), its
# migrations and Prisma config; nothing of the other apps.
COPY --from=prod-deps --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/apps/${APP} ./
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma ./prisma
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma.config.ts ./prisma.config.ts
COPY --from=build --chown=node:node /repo/tools/db/prisma-preload.js ./prisma-preload.js
USER node
# Tried as flags of the app's node and left out (npm run bench on the bundles, alternated,
# 2026-12-07): --single-threaded-gc made the gateway's GC pauses longer (55 ms per second of GETs
# against 33-41) and GET slower (2,390 / 2,463 req/s against 2,814 / 2,659);
# --no-allocation-site-pretenuring halved the pauses (gateway 25 ms/s against 43-52, contacts 10-11
# against 16-20) and sped echo and GET up ~10%, but cost the gateway 22-24% more CPU per search and
# filtered page.
# Migrations first (idempotent; the schema engine's advisory lock serialises replicas), then the app.
CMD ["sh", "-c", "NODE_OPTIONS='--require /app/prisma-preload.js' node node_modules/prisma/build/index.js migrate deploy && exec node main.js"]
