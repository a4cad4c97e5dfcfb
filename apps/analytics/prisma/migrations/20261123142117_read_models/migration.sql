-- CreateTable
CREATE TABLE "event_log" (
    "event_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "subject" TEXT,
    "entity_id" UUID NOT NULL,
    "contact_id" UUID,
    "entity_version" INTEGER NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,
    "scrubbed" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "event_log_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "contact_view" (
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "lifecycle_stage" TEXT,
    "company_id" UUID,
    "version" INTEGER NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),
    "merged_into_id" UUID,
    "erased" BOOLEAN NOT NULL DEFAULT false,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "contact_view_pkey" PRIMARY KEY ("tenant_id","contact_id")
);

-- CreateTable
CREATE TABLE "company_view" (
    "tenant_id" TEXT NOT NULL,
    "company_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "company_view_pkey" PRIMARY KEY ("tenant_id","company_id")
);

-- CreateTable
CREATE TABLE "interaction_fact" (
    "tenant_id" TEXT NOT NULL,
    "interaction_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "interaction_fact_pkey" PRIMARY KEY ("tenant_id","interaction_id")
);

-- CreateTable
CREATE TABLE "tenant_counters" (
    "tenant_id" TEXT NOT NULL,
    "contacts_lead" INTEGER NOT NULL DEFAULT 0,
    "contacts_prospect" INTEGER NOT NULL DEFAULT 0,
    "contacts_customer" INTEGER NOT NULL DEFAULT 0,
    "contacts_churned" INTEGER NOT NULL DEFAULT 0,
    "companies" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "tenant_counters_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "interaction_daily" (
    "tenant_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "channel" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "interaction_daily_pkey" PRIMARY KEY ("tenant_id","day","channel")
);

-- CreateIndex
CREATE INDEX "event_log_tenant_id_occurred_at_entity_version_event_id_idx" ON "event_log"("tenant_id", "occurred_at", "entity_version", "event_id");

-- CreateIndex
CREATE INDEX "event_log_tenant_id_contact_id_idx" ON "event_log"("tenant_id", "contact_id");

-- CreateIndex
CREATE INDEX "contact_view_tenant_id_merged_into_id_idx" ON "contact_view"("tenant_id", "merged_into_id");

-- CreateIndex
CREATE INDEX "interaction_fact_tenant_id_contact_id_idx" ON "interaction_fact"("tenant_id", "contact_id");

