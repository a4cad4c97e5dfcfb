-- CreateTable
CREATE TABLE "ticket" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "subject" TEXT NOT NULL,
    "requester_id" UUID,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "group_id" UUID,
    "assignee_id" UUID,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "solved_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ticket_counter" (
    "tenant_id" TEXT NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "ticket_counter_pkey" PRIMARY KEY ("tenant_id")
);

-- CreateTable
CREATE TABLE "ticket_message" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "author_type" TEXT NOT NULL,
    "author_id" TEXT,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ticket_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ticket_tenant_id_created_at_id_idx" ON "ticket"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "ticket_tenant_id_status_created_at_id_idx" ON "ticket"("tenant_id", "status", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "ticket_tenant_id_assignee_id_created_at_id_idx" ON "ticket"("tenant_id", "assignee_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "ticket_tenant_id_requester_id_idx" ON "ticket"("tenant_id", "requester_id");

-- CreateIndex
CREATE UNIQUE INDEX "ticket_tenant_id_number_key" ON "ticket"("tenant_id", "number");

-- CreateIndex
CREATE INDEX "ticket_message_ticket_id_created_at_id_idx" ON "ticket_message"("ticket_id", "created_at", "id");

