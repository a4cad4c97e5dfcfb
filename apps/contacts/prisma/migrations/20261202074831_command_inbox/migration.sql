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

