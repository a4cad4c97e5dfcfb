#!/usr/bin/env bash
# Creates (idempotently) one RabbitMQ user per service, with permissions and topic permissions
# that let each service do only its own part on the bus:
#   - a service publishes only its own events: write on the events exchange, topic permission
#     limited to routing keys `<service>.` (contacts -> contacts.*);
#   - only gateways write to the request exchanges (and so to the services' request queues): the
#     topic one (a service listed in requests_of may send there the requests its topic permission
#     names) and the direct one routed by service (crm.requests.by-service: gateways only, as
#     RabbitMQ checks topic permissions on topic exchanges alone);
#     nobody but gateways may write to the default exchange (which reaches every queue);
#   - a service configures, reads and writes only its own queues and exchanges (`<service>.`),
#     binds them to the shared exchanges, and replies on the reply exchange.
# The permissions are regexes over exchange and queue names (with BUS_NAME_PREFIX), as the
# topology in libs/messaging declares them (see README "The bus").
#
#   bash tools/bus-users.sh           create or update the users (start:all and .ci/run run it)
#   bash tools/bus-users.sh delete    delete them
#
# Environment (all optional):
#   BUS_SERVICES       services (default "contacts analytics sales-automation support-tickets")
#   BUS_GATEWAYS       gateways (default "api-gateway integration-gateway": they send requests to services)
#   BUS_USER_PREFIX    user name = prefix + service (default "crm-"; the apps' brokerUserPrefix)
#   BUS_NAME_PREFIX    prefix of every exchange and queue name (default "", tests use their own)
#   BUS_PASSWORD_<SERVICE>   password of a service's user (SERVICE upper-case, - as _), e.g.
#                      BUS_PASSWORD_CONTACTS; default "dev-<service>" (local development only)
#   BUS_VHOST          virtual host (default /)
#   BUS_PARKED_DELIVERY_LIMIT  deliveries a parked message survives (policy on the parking queues; default 1000000)
#   RABBITMQCTL        the command (default "rabbitmqctl"; e.g. "rabbitmqctl -n rabbit@rabbitmq")
set -euo pipefail

services=${BUS_SERVICES:-contacts analytics sales-automation support-tickets}
gateways=${BUS_GATEWAYS:-api-gateway integration-gateway}
user_prefix=${BUS_USER_PREFIX:-crm-}
vhost=${BUS_VHOST:-/}
read -r -a ctl <<<"${RABBITMQCTL:-rabbitmqctl}"
say() { echo "[bus-users] $*"; }

# Names are lower-case letters, digits, '.', '-' and '_' (the apps' config checks BUS_NAME_PREFIX):
# only the dot needs escaping in a regex.
esc() { local value=$1; echo "${value//./\\.}"; }
p=$(esc "${BUS_NAME_PREFIX:-}")

password_of() {
  local var="BUS_PASSWORD_$(tr 'a-z-' 'A-Z_' <<<"$1")"
  echo "${!var:-dev-$1}"
}

ensure_user() { # user password (an existing user gets the password given now)
  "${ctl[@]}" -q add_user "$1" "$2" >/dev/null 2>&1 || "${ctl[@]}" -q change_password "$1" "$2" >/dev/null
}

grant() { # user configure write read events-topic-write requests-topic-write
  "${ctl[@]}" -q set_permissions -p "$vhost" "$1" "$2" "$3" "$4" >/dev/null
  "${ctl[@]}" -q set_topic_permissions -p "$vhost" "$1" "${BUS_NAME_PREFIX:-}crm.events" "$5" '.*' >/dev/null
  "${ctl[@]}" -q set_topic_permissions -p "$vhost" "$1" "${BUS_NAME_PREFIX:-}crm.requests" "$6" '.*' >/dev/null
}

# Parked messages are listed by reading them and putting them back, and each return counts as a
# delivery: RabbitMQ 4.x gives quorum queues a default delivery limit of 20, past which a message
# with no dead-letter target (the parking queue has none) is dropped. A policy, not a queue
# argument, so that queues declared before it keep working (re-declaring one with a new
# x-delivery-limit fails with PRECONDITION_FAILED). 3.10 refuses -1 (4.x's "no limit").
parked_policy="${BUS_NAME_PREFIX:-}crm-parked-delivery-limit"
parked_delivery_limit=${BUS_PARKED_DELIVERY_LIMIT:-1000000}

if [ "${1:-}" = delete ]; then
  for name in $services $gateways; do "${ctl[@]}" -q delete_user "$user_prefix$name" >/dev/null 2>&1 || true; done
  "${ctl[@]}" -q clear_policy -p "$vhost" "$parked_policy" >/dev/null 2>&1 || true
  say "deleted users of: $services $gateways"
  exit 0
fi

# The requests a service sends to another service (a topic pattern on crm.requests, and the
# request queue it declares to see whether it is consumed); none unless listed here.
# sales-automation: lead conversion creates the contact and the company in the contacts service;
# an ERP order names its customer by the ERP's id, resolved by the contacts service.
requests_of() {
  case "$1" in
    sales-automation) echo 'contacts ^contacts\.((contact|company)\.create|contact\.resolve-external)\.' ;;
    *) echo '' ;;
  esac
}

shared="crm\.events|crm\.requests|crm\.requests\.by-service|crm\.replies"
for name in $services; do
  s=$(esc "$name")
  ensure_user "$user_prefix$name" "$(password_of "$name")"
  read -r target requests <<<"$(requests_of "$name")"
  sends_to="" sends="" requests_topic='^$'
  if [ -n "${target:-}" ]; then
    sends_to="|$(esc "$target")\.rpc" sends="|crm\.requests" requests_topic="$requests"
  fi
  # configure: its own queues and exchanges, and (idempotent) declarations of the shared exchanges
  # (and of the request queue of a service it calls);
  # write: its own queues and redelivery exchange, events (topic: its own only), replies (and the
  # requests it sends, topic: those listed only);
  # read: its own queues, and the shared exchanges to bind its queues to them.
  grant "$user_prefix$name" \
    "^$p($s\..*|$shared$sends_to)\$" \
    "^$p($s\..*|crm\.events|crm\.replies$sends)\$" \
    "^$p($s\..*|$shared)\$" \
    "^$s\." \
    "$requests_topic"
  say "$user_prefix$name: own queues ($name.*), publishes $name.* events, answers requests${target:+, sends $requests_topic requests to $target}"
done

for name in $gateways; do
  g=$(esc "$name")
  ensure_user "$user_prefix$name" "$(password_of "$name")"
  # As a service, plus: declares any service's request queue (to see whether it is consumed),
  # writes requests (any service), reads and re-drives parked messages (operator console: the
  # parking lot re-drives through each service's redelivery exchange; never the default exchange).
  grant "$user_prefix$name" \
    "^($p($g\..*|[^.]+\.rpc|$shared))\$" \
    "^$p($g\..*|crm\.events|crm\.requests|crm\.requests\.by-service|crm\.replies|[^.]+\.events\.redelivery)\$" \
    "^$p($g\..*|[^.]+\.events|[^.]+\.events\.parked|$shared)\$" \
    "^$g\." \
    '.*'
  say "$user_prefix$name: publishes $name.* events, sends requests to every service, re-drives parked messages"
done

"${ctl[@]}" -q set_policy -p "$vhost" --apply-to queues --priority 10 "$parked_policy" \
  "^$p[^.]+\\.events\\.parked\$" "{\"delivery-limit\":$parked_delivery_limit}" >/dev/null
say "policy $parked_policy: parking queues keep a message for $parked_delivery_limit listings"
