-- The tables the messaging library needs (outbox, inbox, command inbox). Later migrations add the tables of the service itself.
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

-- CreateIndex
CREATE UNIQUE INDEX "outbox_message_id_key" ON "outbox_message"("id");

-- CreateIndex
CREATE INDEX "outbox_message_sent_at_seq_idx" ON "outbox_message"("sent_at", "seq");

-- CreateIndex
CREATE INDEX "inbox_message_received_at_idx" ON "inbox_message"("received_at");


-- CreateTable
CREATE TABLE "command_inbox" (
    "consumer" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "reply" JSONB,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_inbox_pkey" PRIMARY KEY ("consumer","request_id")
);

-- CreateIndex
CREATE INDEX "command_inbox_received_at_idx" ON "command_inbox"("received_at");

