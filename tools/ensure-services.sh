#!/usr/bin/env bash
# Makes sure PostgreSQL (5432), RabbitMQ (5672) and Redis (6379) answer on 127.0.0.1.
# Starts a stopped local server when it is installed; otherwise says how to start it.
# Used by .ci/run and `npm run start:all`. Exit 1 if any server is still missing.
set -euo pipefail

say() { echo "[services] $*"; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { # port seconds
  for _ in $(seq 1 "$2"); do port_open "$1" && return 0; sleep 1; done
  return 1
}
missing=()

if port_open 5432; then say "PostgreSQL is up on 5432"
elif command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  say "starting PostgreSQL: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  wait_port 5432 30 && say "PostgreSQL is up on 5432" || missing+=(postgres)
else missing+=(postgres); fi

if port_open 6379; then say "Redis is up on 6379"
elif command -v redis-server >/dev/null; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_port 6379 15 && say "Redis is up on 6379" || missing+=(redis)
else missing+=(redis); fi

if command -v rabbitmqctl >/dev/null; then
  if ! port_open 5672; then
    if ! rabbitmqctl -q status >/dev/null 2>&1; then
      say "starting RabbitMQ: rabbitmq-server -detached"
      rabbitmq-server -detached || true
    fi
    rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1 || true
  fi
  if rabbitmqctl -q status >/dev/null 2>&1; then
    # A broker stopped by fault tests may be left with its app stopped or a memory alarm set.
    rabbitmqctl -q start_app >/dev/null 2>&1 || true
    rabbitmqctl -q set_vm_memory_high_watermark 0.4 >/dev/null 2>&1 || true
  fi
  wait_port 5672 60 && say "RabbitMQ is up on 5672" || missing+=(rabbitmq)
elif port_open 5672; then say "RabbitMQ is up on 5672"
else missing+=(rabbitmq); fi

if [ ${#missing[@]} -gt 0 ]; then
  for s in "${missing[@]}"; do
    case $s in
      postgres) say "MISSING: PostgreSQL on 127.0.0.1:5432. Start it: docker compose up -d postgres  (or: pg_ctlcluster --skip-systemctl-redirect <version> main start)";;
      rabbitmq) say "MISSING: RabbitMQ on 127.0.0.1:5672. Start it: docker compose up -d rabbitmq  (or: rabbitmq-server -detached)";;
      redis)    say "MISSING: Redis on 127.0.0.1:6379. Start it: docker compose up -d redis  (or: redis-server --daemonize yes)";;
    esac
  done
  say "all at once: docker compose up -d postgres rabbitmq redis"
  exit 1
fi
