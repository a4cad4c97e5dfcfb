-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "sla_due_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "business_hours" (
    "tenant_id" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "weekly" JSONB NOT NULL,
    "public_holidays" JSONB,
    "closed_dates" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "business_hours_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "sla_policy" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "first_response_minutes" INTEGER,
    "resolution_minutes" INTEGER,
    "warn_share" DOUBLE PRECISION NOT NULL DEFAULT 0.75,
    "raise_priority" BOOLEAN NOT NULL DEFAULT false,
    "escalate_to_group_id" UUID,
    "notify_manager" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sla_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_status_change" (
    "ticket_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ticket_status_change_pkey" PRIMARY KEY ("ticket_id","version")
);

-- CreateTable
CREATE TABLE "ticket_sla" (
    "ticket_id" UUID NOT NULL,
    "metric" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "policy_id" UUID NOT NULL,
    "target_minutes" INTEGER NOT NULL,
    "warn_share" DOUBLE PRECISION NOT NULL,
    "due_at" TIMESTAMPTZ(3),
    "warn_at" TIMESTAMPTZ(3),
    "warned_at" TIMESTAMPTZ(3),
    "breached_at" TIMESTAMPTZ(3),
    "fulfilled_at" TIMESTAMPTZ(3),
    "leased_until" TIMESTAMPTZ(3),

    CONSTRAINT "ticket_sla_pkey" PRIMARY KEY ("ticket_id","metric")
);

-- CreateIndex
CREATE UNIQUE INDEX "sla_policy_tenant_id_priority_key" ON "sla_policy"("tenant_id", "priority");

-- CreateIndex
CREATE INDEX "ticket_sla_warn_at_idx" ON "ticket_sla"("warn_at");

-- CreateIndex
CREATE INDEX "ticket_sla_due_at_idx" ON "ticket_sla"("due_at");

-- CreateIndex
CREATE INDEX "ticket_tenant_id_group_id_status_sla_due_at_id_idx" ON "ticket"("tenant_id", "group_id", "status", "sla_due_at", "id");

