#!/usr/bin/env bash
# npm run start:all: the three apps from source against local Postgres, RabbitMQ and Redis.
# Ctrl-C stops them all (SIGTERM to each, so they shut down gracefully).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/ensure-services.sh
[ -d node_modules ] || npm ci
npm run prisma:generate
npm run db:migrate
apps=(api-gateway contacts analytics)
npx nx run-many -t build --projects="$(IFS=,; echo "${apps[*]}")"
declare -A ports=([api-gateway]=3000 [contacts]=3101 [analytics]=3102)
pids=()
stop() {
  trap - INT TERM EXIT
  echo "stopping ${apps[*]}"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT
for app in "${apps[@]}"; do
  echo "starting $app on port ${ports[$app]}"
  PORT=${ports[$app]} NODE_ENV=${NODE_ENV:-development} node "dist/apps/$app/main.js" > >(sed -u "s/^/[$app] /") 2>&1 &
  pids+=($!)
done
wait -n "${pids[@]}" || true
