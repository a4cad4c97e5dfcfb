-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "mailbox" TEXT,
ADD COLUMN     "reply_token" TEXT,
ADD COLUMN     "requester_email" TEXT,
ADD COLUMN     "requester_name" TEXT;

-- AlterTable
ALTER TABLE "ticket_message" ADD COLUMN     "email_message_id" TEXT;

-- CreateTable
CREATE TABLE "inbound_mailbox" (
    "address" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "group_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbound_mailbox_pkey" PRIMARY KEY ("address")
);

-- CreateTable
CREATE TABLE "ticket_attachment" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "filename" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "inline" BOOLEAN NOT NULL DEFAULT false,
    "storage_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_attachment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outgoing_email" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "to_address" TEXT NOT NULL,
    "from_address" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "email_message_id" TEXT NOT NULL,
    "in_reply_to" TEXT,
    "references" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "reply_to" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outgoing_email_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "inbound_mailbox_tenant_id_idx" ON "inbound_mailbox"("tenant_id");

-- CreateIndex
CREATE INDEX "ticket_attachment_ticket_id_idx" ON "ticket_attachment"("ticket_id");

-- CreateIndex
CREATE INDEX "outgoing_email_status_next_attempt_at_idx" ON "outgoing_email"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_reply_token_key" ON "ticket"("reply_token");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_message_tenant_id_email_message_id_key" ON "ticket_message"("tenant_id", "email_message_id");

