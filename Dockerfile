# Builds any app: docker build --build-arg APP=contacts -t crm/contacts .
# At start the container applies its service's migrations, then runs the app.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run prisma:generate && npx nx build ${APP} --configuration=production

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /repo
COPY package.json package-lock.json ./
# Runtime needs the production dependencies plus the Prisma CLI for `migrate deploy`.
RUN npm ci --omit=dev && npm install --no-save prisma@6.19.3

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP}
WORKDIR /app
COPY --from=prod-deps --chown=node:node /repo/node_modules ./node_modules
COPY --from=build --chown=node:node /repo/dist/apps/${APP} ./
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma ./prisma
COPY --from=build --chown=node:node /repo/apps/${APP}/prisma.config.ts ./prisma.config.ts
COPY --from=build --chown=node:node /repo/tools/db/prisma-preload.js ./prisma-preload.js
USER node
# Migrations first (idempotent; the schema engine's advisory lock serialises replicas), then the app.
CMD ["sh", "-c", "NODE_OPTIONS='--require /app/prisma-preload.js' node node_modules/prisma/build/index.js migrate deploy && exec node main.js"]
