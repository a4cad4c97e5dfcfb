#!/usr/bin/env bash
# Deletes the queues and exchanges that test runs left on the local broker (names start with a
# test prefix `t<10 hex>.`, see @crm/testing testBusPrefix). Hundreds of leftover quorum queues
# each keep a Raft member running and slow the broker to a halt.
set -uo pipefail
mapfile -t queues < <(timeout 120 rabbitmqctl list_queues -q --no-table-headers name 2>/dev/null | grep -E '^t[0-9a-f]{10}\.' || true)
for q in "${queues[@]}"; do timeout 30 rabbitmqctl delete_queue "$q" >/dev/null 2>&1 || true; done
mapfile -t exchanges < <(timeout 60 rabbitmqctl list_exchanges -q --no-table-headers name 2>/dev/null | grep -E '^t[0-9a-f]{10}\.' || true)
for x in "${exchanges[@]}"; do timeout 30 rabbitmqctl eval "rabbit_exchange:delete(rabbit_misc:r(<<\"/\">>, exchange, <<\"$x\">>), false, <<\"cleanup\">>)." >/dev/null 2>&1 || true; done
# Broker users a test created with its prefix (tools/bus-users.sh with BUS_USER_PREFIX=<prefix>).
mapfile -t users < <(timeout 60 rabbitmqctl list_users -q --no-table-headers 2>/dev/null | cut -f1 | grep -E '^t[0-9a-f]{10}\.' || true)
for u in "${users[@]}"; do timeout 30 rabbitmqctl delete_user "$u" >/dev/null 2>&1 || true; done
echo "removed ${#queues[@]} leftover test queue(s), ${#exchanges[@]} exchange(s) and ${#users[@]} user(s)"
