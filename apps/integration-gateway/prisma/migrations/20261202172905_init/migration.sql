-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "outbox_message" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "routing_key" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subject" TEXT,
    "envelope" JSONB NOT NULL,
    "headers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "inbox_message" (
    "consumer" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_message_pkey" PRIMARY KEY ("consumer","event_id")
);

-- CreateTable
CREATE TABLE "command_inbox" (
    "consumer" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "reply" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_inbox_pkey" PRIMARY KEY ("consumer","request_id")
);

-- CreateTable
CREATE TABLE "api_client" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_client_secret" (
    "id" UUID NOT NULL,
    "client_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_client_secret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_job" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "external_id_field" TEXT NOT NULL,
    "column_mapping" JSONB NOT NULL DEFAULT '{}',
    "content_type" TEXT NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'open',
    "rows_total" INTEGER NOT NULL DEFAULT 0,
    "rows_processed" INTEGER NOT NULL DEFAULT 0,
    "rows_created" INTEGER NOT NULL DEFAULT 0,
    "rows_updated" INTEGER NOT NULL DEFAULT 0,
    "rows_unchanged" INTEGER NOT NULL DEFAULT 0,
    "rows_failed" INTEGER NOT NULL DEFAULT 0,
    "bytes_uploaded" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_job_row" (
    "job_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "external_id" TEXT,
    "record" JSONB,
    "parse_error" TEXT,

    CONSTRAINT "bulk_job_row_pkey" PRIMARY KEY ("job_id","line")
);

-- CreateTable
CREATE TABLE "bulk_job_result" (
    "job_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "external_id" TEXT,
    "outcome" TEXT NOT NULL,
    "record_id" TEXT,
    "error_code" TEXT,
    "error" TEXT,
    "fields" JSONB,

    CONSTRAINT "bulk_job_result_pkey" PRIMARY KEY ("job_id","line")
);

-- CreateTable
CREATE TABLE "change_log" (
    "seq" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "subject" TEXT,
    "contact_id" UUID,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "data" JSONB NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "webhook_subscription" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "client_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "event_types" TEXT[],
    "secret" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "failed_in_a_row" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subscription_id" UUID NOT NULL,
    "change_seq" BIGINT NOT NULL,
    "event_id" UUID NOT NULL,
    "event_type" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempt" (
    "delivery_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status_code" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "error" TEXT,

    CONSTRAINT "webhook_attempt_pkey" PRIMARY KEY ("delivery_id","attempt")
);

-- CreateTable
CREATE TABLE "field_ownership" (
    "tenant_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "owner" TEXT NOT NULL,

    CONSTRAINT "field_ownership_pkey" PRIMARY KEY ("tenant_id","object","field")
);

-- CreateTable
CREATE TABLE "sync_log" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "client_id" TEXT,
    "direction" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "system" TEXT,
    "external_id" TEXT,
    "record_id" TEXT,
    "operation" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" JSONB,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sync_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_id_key" ON "outbox_message"("id");

-- CreateIndex
CREATE INDEX "outbox_message_sent_at_seq_idx" ON "outbox_message"("sent_at", "seq");

-- CreateIndex
CREATE INDEX "inbox_message_received_at_idx" ON "inbox_message"("received_at");

-- CreateIndex
CREATE INDEX "command_inbox_received_at_idx" ON "command_inbox"("received_at");

-- CreateIndex
CREATE INDEX "api_client_tenant_id_created_at_id_idx" ON "api_client"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "api_client_secret_secret_hash_key" ON "api_client_secret"("secret_hash");

-- CreateIndex
CREATE INDEX "api_client_secret_client_id_idx" ON "api_client_secret"("client_id");

-- CreateIndex
CREATE INDEX "bulk_job_tenant_id_created_at_id_idx" ON "bulk_job"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "bulk_job_state_updated_at_idx" ON "bulk_job"("state", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "change_log_event_id_key" ON "change_log"("event_id");

-- CreateIndex
CREATE INDEX "change_log_tenant_id_seq_idx" ON "change_log"("tenant_id", "seq");

-- CreateIndex
CREATE INDEX "change_log_contact_id_idx" ON "change_log"("contact_id");

-- CreateIndex
CREATE INDEX "webhook_subscription_tenant_id_status_idx" ON "webhook_subscription"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "webhook_delivery_status_next_attempt_at_idx" ON "webhook_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "webhook_delivery_subscription_id_created_at_idx" ON "webhook_delivery"("subscription_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "webhook_delivery_subscription_id_event_id_key" ON "webhook_delivery"("subscription_id", "event_id");

-- CreateIndex
CREATE INDEX "sync_log_tenant_id_created_at_id_idx" ON "sync_log"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "sync_log_tenant_id_record_id_idx" ON "sync_log"("tenant_id", "record_id");

-- CreateIndex
CREATE INDEX "sync_log_tenant_id_system_external_id_idx" ON "sync_log"("tenant_id", "system", "external_id");

-- AddForeignKey
ALTER TABLE "api_client_secret" ADD CONSTRAINT "api_client_secret_client_id_fkey" FOREIGN KEY ("client_id") REFERENCES "api_client"("id") ON DELETE CASCADE ON UPDATE CASCADE;

