-- Sequences (issue 14): versioned step lists, enrolments (the durable waits) and their history.

-- CreateTable
CREATE TABLE "sequence" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "time_zone" TEXT NOT NULL,
    "current_version" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "sequence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence_version" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "sequence_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "steps" JSONB NOT NULL,
    "exit_on" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sequence_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence_enrolment" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "sequence_id" UUID NOT NULL,
    "sequence_version" INTEGER NOT NULL,
    "contact_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "next_step" INTEGER NOT NULL DEFAULT 0,
    "due_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "source_kind" TEXT NOT NULL,
    "source_id" TEXT NOT NULL,
    "context" JSONB NOT NULL DEFAULT '{}',
    "exit_reason" TEXT,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sequence_enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence_enrolment_step" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "step_index" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "error_code" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sequence_enrolment_step_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sequence_tenant_id_created_at_id_idx" ON "sequence"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "sequence_version_sequence_id_number_key" ON "sequence_version"("sequence_id", "number");

-- CreateIndex
CREATE INDEX "sequence_enrolment_tenant_id_contact_id_idx" ON "sequence_enrolment"("tenant_id", "contact_id");

-- CreateIndex
CREATE INDEX "sequence_enrolment_tenant_id_sequence_id_enrolled_at_idx" ON "sequence_enrolment"("tenant_id", "sequence_id", "enrolled_at");

-- CreateIndex
CREATE INDEX "sequence_enrolment_tenant_id_enrolled_at_id_idx" ON "sequence_enrolment"("tenant_id", "enrolled_at", "id");

-- CreateIndex
CREATE INDEX "sequence_enrolment_step_enrolment_id_id_idx" ON "sequence_enrolment_step"("enrolment_id", "id");


-- As schema-extras.sql: one active or paused enrolment per contact and sequence, and the due index of the runner.
CREATE UNIQUE INDEX "sequence_enrolment_one_running_key" ON "sequence_enrolment"("tenant_id", "sequence_id", "contact_id") WHERE "status" IN ('active', 'paused');
CREATE INDEX "sequence_enrolment_due_idx" ON "sequence_enrolment"("due_at") WHERE "status" = 'active';
