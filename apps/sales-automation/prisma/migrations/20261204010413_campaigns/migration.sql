-- CreateTable
CREATE TABLE "campaign" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "segment" JSONB NOT NULL,
    "content_kind" TEXT NOT NULL,
    "content_id" UUID NOT NULL,
    "scheduled_at" TIMESTAMPTZ(3),
    "rate_per_minute" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "error_code" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_recipient" (
    "tenant_id" TEXT NOT NULL,
    "campaign_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3),
    "detail" JSONB NOT NULL DEFAULT '{}',
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_recipient_pkey" PRIMARY KEY ("campaign_id","contact_id")
);

-- CreateIndex
CREATE INDEX "campaign_tenant_id_created_at_id_idx" ON "campaign"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "campaign_status_scheduled_at_idx" ON "campaign"("status", "scheduled_at");

-- CreateIndex
CREATE INDEX "campaign_recipient_tenant_id_contact_id_idx" ON "campaign_recipient"("tenant_id", "contact_id");


-- The campaign runner reads pending recipients by due time only (also in schema-extras.sql).
CREATE INDEX "campaign_recipient_due_idx" ON "campaign_recipient"("due_at") WHERE "status" = 'pending';
