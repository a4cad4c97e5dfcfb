-- CreateTable
CREATE TABLE "phone_call" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "duration_seconds" INTEGER NOT NULL,
    "recording_url" TEXT,
    "notes" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "phone_call_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "phone_call_tenant_id_ticket_id_started_at_idx" ON "phone_call"("tenant_id", "ticket_id", "started_at");

