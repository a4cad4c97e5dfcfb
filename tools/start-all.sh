#!/usr/bin/env bash
# npm run start:all: every app (apps/*/project.json: an application tagged type:app) from source
# against local Postgres, RabbitMQ and Redis. Ctrl-C (or SIGTERM to this script) stops them all:
# SIGTERM to each app, wait for each to shut down gracefully, exit 0.
#
# From source (@swc-node/register, no type check) rather than `nx build`: no minute-long webpack
# build per app before anything answers, and always the code in the working tree; `npm test`
# is where types are checked. Docker runs the webpack bundle (see Dockerfile).
#
# Settings (environment): <APP>_PORT (API_GATEWAY_PORT, CONTACTS_PORT, ...; default: the app's
# own), <APP>_INTERNAL_PORT (metrics and readiness details; default: the app's own, its port + 6000),
# <APP>_DATABASE_URL (the database is created if missing), BUS_NAME_PREFIX, NODE_ENV
# (default development), BUS_PASSWORD_<APP> (broker passwords, dev defaults), and anything else
# the apps read. Checked by
# apps/system-checks/src/start-all/start-all.spec.ts.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/ensure-services.sh
[ -d node_modules ] || npm ci

mapfile -t apps < <(node -e '
  const fs = require("fs");
  for (const name of fs.readdirSync("apps").sort()) {
    const file = `apps/${name}/project.json`;
    if (!fs.existsSync(file)) continue;
    const project = JSON.parse(fs.readFileSync(file, "utf8"));
    if (project.projectType === "application" && (project.tags || []).includes("type:app")) console.log(name);
  }')
[ ${#apps[@]} -gt 0 ] || { echo "no apps found (apps/*/project.json tagged type:app)" >&2; exit 1; }

# Prisma clients only when missing or older than their schema: regenerating rewrites files that
# running processes (tests, other tools) may be loading.
for app in "${apps[@]}"; do
  schema=apps/$app/prisma/schema.prisma client=apps/$app/src/generated/prisma/client.ts
  if [ -f "$schema" ] && { [ ! -f "$client" ] || [ "$schema" -nt "$client" ]; }; then
    npm run --silent prisma:generate
    break
  fi
done
npm run --silent db:migrate   # creates each database if missing, then applies its migrations

# One broker user per app (tools/bus-users.sh, idempotent), each app connecting as its own: a
# service can then publish only its own events and only gateways can send requests. Needs
# rabbitmqctl for this broker; without it (e.g. the broker in Docker: compose creates the
# users itself) every app uses RABBITMQ_URL as given. Users of a run with a BUS_NAME_PREFIX are
# named after that prefix, so they never change the permissions of another run's users.
export BUS_USER_PREFIX="${BUS_USER_PREFIX:-${BUS_NAME_PREFIX:-}crm-}"
bus_users=0
if [ "${START_ALL_BUS_USERS:-1}" = 1 ] && command -v rabbitmqctl >/dev/null && rabbitmqctl -q status >/dev/null 2>&1; then
  services=() gateways=()
  for app in "${apps[@]}"; do
    # The gateways (api-gateway, integration-gateway) send requests to services; services answer them.
    case "$app" in *-gateway) gateways+=("$app") ;; *) services+=("$app") ;; esac
  done
  BUS_SERVICES="${services[*]}" BUS_GATEWAYS="${gateways[*]}" bash tools/bus-users.sh && bus_users=1
else
  echo "[start-all] no rabbitmqctl for this broker: every app connects as RABBITMQ_URL's user (no per-service broker users)"
fi
broker_url_of() { # app: amqp://<prefix><app>:<password>@host of RABBITMQ_URL
  node -e '
    const [app, prefix, base] = process.argv.slice(1);
    const url = new URL(base);
    url.username = encodeURIComponent(prefix + app);
    url.password = encodeURIComponent(process.env["BUS_PASSWORD_" + app.toUpperCase().replace(/-/g, "_")] || "dev-" + app);
    console.log(url.toString());' "$1" "$BUS_USER_PREFIX" "${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}"
}

# Services verify the callers of their commands and queries against the gateways' keys: this
# run's gateways, on whatever ports they get (unless AUTH_JWKS_URL / INTEGRATION_JWKS_URL say otherwise).
export AUTH_JWKS_URL="${AUTH_JWKS_URL:-http://127.0.0.1:${API_GATEWAY_PORT:-3000}/.well-known/jwks.json}"
# ... and the integration gateway's (the call tokens it signs for ERP clients).
export INTEGRATION_JWKS_URL="${INTEGRATION_JWKS_URL:-http://127.0.0.1:${INTEGRATION_GATEWAY_PORT:-3104}/.well-known/jwks.json}"

pids=() names=()
stopping=0

stop() { # stop all apps: SIGTERM, then wait (each app exits by itself within SHUTDOWN_TIMEOUT_MS)
  trap - INT TERM
  stopping=1
  echo "[start-all] stopping ${names[*]:-nothing}"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + ${START_ALL_STOP_TIMEOUT_S:-30})) forced=0
  for i in "${!pids[@]}"; do
    while kill -0 "${pids[$i]}" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "[start-all] ${names[$i]} (pid ${pids[$i]}) did not stop in time: SIGKILL" >&2
      kill -KILL "${pids[$i]}" 2>/dev/null || true
      forced=1
    fi
    wait "${pids[$i]}" 2>/dev/null || true
    echo "[start-all] stopped ${names[$i]} (pid ${pids[$i]})"
  done
  return $forced
}
trap 'stop; exit $?' INT TERM

# Mail: without SALES_AUTOMATION_SMTP_URL, a local SMTP catcher with a web inbox (maildev, from
# node_modules) receives what the automation sends; stopped with the apps.
if [ -z "${SALES_AUTOMATION_SMTP_URL:-}" ] && [[ " ${apps[*]} " == *" sales-automation "* ]]; then
  smtp_port=${START_ALL_MAILDEV_SMTP_PORT:-1025} web_port=${START_ALL_MAILDEV_WEB_PORT:-1080}
  node node_modules/maildev/dist/bin/maildev.js --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp "$smtp_port" --web "$web_port" \
    > >(trap '' INT TERM; exec sed -u "s/^/[maildev] /") 2>&1 &
  pids+=($!) names+=(maildev)
  export SALES_AUTOMATION_SMTP_URL="smtp://127.0.0.1:$smtp_port"
  # Agents' replies to email tickets land in the same inbox.
  export SUPPORT_TICKETS_SMTP_URL="${SUPPORT_TICKETS_SMTP_URL:-$SALES_AUTOMATION_SMTP_URL}"
  echo "[start-all] mail catcher maildev (pid $!): SMTP 127.0.0.1:$smtp_port, inbox http://127.0.0.1:$web_port/api/email"
fi
# Inbound support mail: the support-tickets listener (swaks --server 127.0.0.1:2525 --to <a mailbox>).
export SUPPORT_TICKETS_INBOUND_SMTP_PORT="${SUPPORT_TICKETS_INBOUND_SMTP_PORT:-2525}"
# Unsubscribe links in mail point at this run's gateway.
export SALES_AUTOMATION_PUBLIC_BASE_URL="${SALES_AUTOMATION_PUBLIC_BASE_URL:-http://127.0.0.1:${API_GATEWAY_PORT:-3000}}"

for app in "${apps[@]}"; do
  port_var="$(tr 'a-z-' 'A-Z_' <<<"$app")_PORT"
  port=${!port_var:-}
  internal_port_var="$(tr 'a-z-' 'A-Z_' <<<"$app")_INTERNAL_PORT"
  internal_port=${!internal_port_var:-}
  # Each app its own ports: an exported PORT or INTERNAL_PORT would give all of them the same one.
  # The log pipe ignores Ctrl-C, so it still carries the apps' shutdown logs.
  broker_url=${RABBITMQ_URL:-}
  [ "$bus_users" = 1 ] && broker_url=$(broker_url_of "$app")
  env -u PORT -u INTERNAL_PORT ${port:+PORT=$port} ${internal_port:+INTERNAL_PORT=$internal_port} ${broker_url:+RABBITMQ_URL=$broker_url} NODE_ENV="${NODE_ENV:-development}" SWC_NODE_PROJECT="apps/$app/tsconfig.app.json" \
    node -r @swc-node/register "apps/$app/src/main.ts" \
    > >(trap '' INT TERM; exec sed -u "s/^/[$app] /") 2>&1 &
  pids+=($!) names+=("$app")
  echo "[start-all] started $app (pid $!) on port ${port:-its default} (internal port ${internal_port:-its default})"
done
echo "[start-all] ${#apps[@]} apps started; Ctrl-C stops them all"

# Until Ctrl-C (the trap) or an app exiting by itself: then stop the others and fail.
set +e
wait -n -p exited "${pids[@]}"
code=$?
[ "$stopping" = 1 ] && exit 0
for i in "${!pids[@]}"; do [ "${pids[$i]}" = "${exited:-}" ] && echo "[start-all] ${names[$i]} exited by itself (code $code)" >&2; done
stop
exit 1
