-- Workflow rules: versioned rules (trigger, JSON Logic condition, actions), their runs (once per
-- rule and triggering event) and the waits between their actions.

-- CreateTable
CREATE TABLE "workflow_rule" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "current_version" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "next_assignee" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "workflow_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_rule_version" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "rule_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "trigger" JSONB NOT NULL,
    "condition" JSONB,
    "actions" JSONB NOT NULL,
    "event_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workflow_rule_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_rule_run" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "rule_id" UUID NOT NULL,
    "rule_version" INTEGER NOT NULL,
    "trigger_event_id" TEXT NOT NULL,
    "trigger_event_type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error_code" TEXT,
    "error_message" TEXT,
    "steps" JSONB NOT NULL DEFAULT '[]',
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "workflow_rule_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "workflow_rule_wait" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "run_id" UUID NOT NULL,
    "next_action" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "context" JSONB NOT NULL,
    "done_at" TIMESTAMPTZ(3),

    CONSTRAINT "workflow_rule_wait_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "workflow_rule_tenant_id_created_at_id_idx" ON "workflow_rule"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "workflow_rule_version_tenant_id_event_type_idx" ON "workflow_rule_version"("tenant_id", "event_type");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_rule_version_rule_id_number_key" ON "workflow_rule_version"("rule_id", "number");

-- CreateIndex
CREATE INDEX "workflow_rule_run_tenant_id_rule_id_started_at_idx" ON "workflow_rule_run"("tenant_id", "rule_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_rule_run_rule_id_trigger_event_id_key" ON "workflow_rule_run"("rule_id", "trigger_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "workflow_rule_wait_run_id_key" ON "workflow_rule_wait"("run_id");

-- CreateIndex
CREATE INDEX "workflow_rule_wait_due_at_idx" ON "workflow_rule_wait"("due_at");
