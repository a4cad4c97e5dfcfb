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
# Memory (`npm run bench:rss`): V8's young generation grows to 64 MiB (its semi-spaces' default
# cap on a 64-bit machine) and stays resident once start-up has filled it; capped at 2 MiB per
# semi-space (no CPU per request cost measured), and glibc limited to two malloc arenas (up to 8
# per core otherwise), each service idles at ~125-150 MiB instead of ~160-185.
# --expose-gc: once up, each service runs one memory-reducing collection (releaseStartupMemory in
# @crm/observability), handing back the pages start-up's garbage left pooled in V8's heap (~15 MiB
# of an idle gateway; nothing else calls gc).
# Set in the environment, so that every node the image runs gets them.
ENV NODE_OPTIONS="--max-semi-space-size=2 --expose-gc" MALLOC_ARENA_MAX=2
WORKDIR /app
# The app's webpack bundle (main.js; the generated Prisma client is bundled into it), its
# migrations and Prisma config; nothing of the other apps.
COPY --from=prod-deps --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/apps/${APP} ./
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma ./prisma
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma.config.ts ./prisma.config.ts
COPY --from=build --chown=node:node /repo/tools/db/prisma-preload.js ./prisma-preload.js
USER node
# Migrations first (idempotent; the schema engine's advisory lock serialises replicas), then the app.
CMD ["sh", "-c", "NODE_OPTIONS='--require /app/prisma-preload.js' node node_modules/prisma/build/index.js migrate deploy && exec node main.js"]
