-- CreateTable
CREATE TABLE "product" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "unit_price_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "external_id" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sales_order" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID,
    "company_id" UUID,
    "currency" CHAR(3) NOT NULL,
    "subtotal_minor" BIGINT NOT NULL,
    "discount_minor" BIGINT NOT NULL,
    "total_minor" BIGINT NOT NULL,
    "purchased_at" TIMESTAMPTZ(3) NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "external_id" TEXT,
    "external_system" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sales_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_line" (
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "product_id" UUID,
    "sku" TEXT,
    "name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_minor" BIGINT NOT NULL,
    "discount_minor" BIGINT NOT NULL DEFAULT 0,
    "total_minor" BIGINT NOT NULL,

    CONSTRAINT "order_line_pkey" PRIMARY KEY ("order_id","position")
);

-- CreateTable
CREATE TABLE "lead" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "company_name" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "source" TEXT NOT NULL,
    "campaign_id" UUID,
    "form_id" UUID,
    "status" TEXT NOT NULL DEFAULT 'new',
    "disqualified_reason" TEXT,
    "owner_id" UUID,
    "score" INTEGER NOT NULL DEFAULT 0,
    "message" TEXT,
    "converted_contact_id" UUID,
    "converted_company_id" UUID,
    "converted_deal_id" UUID,
    "converted_at" TIMESTAMPTZ(3),
    "erased_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_form" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "form_key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "campaign_id" UUID,
    "owner_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "lead_form_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline_stage" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "pipeline_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "win_probability" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pipeline_stage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deal" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "contact_id" UUID,
    "company_id" UUID,
    "customer_name" TEXT,
    "amount_minor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "expected_close_date" DATE,
    "owner_id" UUID,
    "pipeline_id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "position" TEXT COLLATE "C" NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "lost_reason" TEXT,
    "closed_at" TIMESTAMPTZ(3),
    "stage_entered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lead_id" UUID,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "deal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deal_stage_history" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "deal_id" UUID NOT NULL,
    "pipeline_id" UUID NOT NULL,
    "stage_id" UUID NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,
    "left_at" TIMESTAMPTZ(3),

    CONSTRAINT "deal_stage_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "notes" TEXT,
    "due_at" TIMESTAMPTZ(3),
    "reminder_at" TIMESTAMPTZ(3),
    "assignee_id" UUID,
    "related_type" TEXT,
    "related_id" UUID,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "completed_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_copy" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "email" TEXT,
    "company_id" UUID,
    "version" INTEGER NOT NULL,
    "merged_into_id" UUID,
    "erased_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_copy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "company_copy" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT,
    "version" INTEGER NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "company_copy_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "product_tenant_id_name_id_idx" ON "product"("tenant_id", "name", "id");

-- CreateIndex
CREATE UNIQUE INDEX "product_tenant_id_sku_key" ON "product"("tenant_id", "sku");

-- CreateIndex
CREATE UNIQUE INDEX "product_tenant_id_external_id_key" ON "product"("tenant_id", "external_id");

-- CreateIndex
CREATE INDEX "sales_order_tenant_id_contact_id_purchased_at_id_idx" ON "sales_order"("tenant_id", "contact_id", "purchased_at" DESC, "id");

-- CreateIndex
CREATE INDEX "sales_order_tenant_id_company_id_purchased_at_id_idx" ON "sales_order"("tenant_id", "company_id", "purchased_at" DESC, "id");

-- CreateIndex
CREATE INDEX "sales_order_tenant_id_purchased_at_id_idx" ON "sales_order"("tenant_id", "purchased_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "sales_order_tenant_id_external_system_external_id_key" ON "sales_order"("tenant_id", "external_system", "external_id");

-- CreateIndex
CREATE INDEX "order_line_tenant_id_product_id_idx" ON "order_line"("tenant_id", "product_id");

-- CreateIndex
CREATE INDEX "lead_tenant_id_status_created_at_id_idx" ON "lead"("tenant_id", "status", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "lead_tenant_id_created_at_id_idx" ON "lead"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "lead_tenant_id_owner_id_idx" ON "lead"("tenant_id", "owner_id");

-- CreateIndex
CREATE INDEX "lead_tenant_id_email_idx" ON "lead"("tenant_id", "email");

-- CreateIndex
CREATE INDEX "lead_tenant_id_converted_contact_id_idx" ON "lead"("tenant_id", "converted_contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "lead_form_form_key_key" ON "lead_form"("form_key");

-- CreateIndex
CREATE INDEX "lead_form_tenant_id_name_id_idx" ON "lead_form"("tenant_id", "name", "id");

-- CreateIndex
CREATE INDEX "pipeline_tenant_id_name_id_idx" ON "pipeline"("tenant_id", "name", "id");

-- CreateIndex
CREATE INDEX "pipeline_stage_tenant_id_pipeline_id_position_idx" ON "pipeline_stage"("tenant_id", "pipeline_id", "position");

-- CreateIndex
CREATE INDEX "deal_tenant_id_pipeline_id_stage_id_status_position_id_idx" ON "deal"("tenant_id", "pipeline_id", "stage_id", "status", "position", "id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_owner_id_updated_at_id_idx" ON "deal"("tenant_id", "owner_id", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_expected_close_date_id_idx" ON "deal"("tenant_id", "expected_close_date", "id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_amount_minor_id_idx" ON "deal"("tenant_id", "amount_minor", "id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_updated_at_id_idx" ON "deal"("tenant_id", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_contact_id_idx" ON "deal"("tenant_id", "contact_id");

-- CreateIndex
CREATE INDEX "deal_tenant_id_company_id_idx" ON "deal"("tenant_id", "company_id");

-- CreateIndex
CREATE UNIQUE INDEX "deal_tenant_id_lead_id_key" ON "deal"("tenant_id", "lead_id");

-- CreateIndex
CREATE INDEX "deal_stage_history_tenant_id_deal_id_entered_at_idx" ON "deal_stage_history"("tenant_id", "deal_id", "entered_at");

-- CreateIndex
CREATE INDEX "task_tenant_id_assignee_id_done_due_at_id_idx" ON "task"("tenant_id", "assignee_id", "done", "due_at", "id");

-- CreateIndex
CREATE INDEX "task_tenant_id_related_type_related_id_idx" ON "task"("tenant_id", "related_type", "related_id");

-- CreateIndex
CREATE INDEX "task_reminder_at_idx" ON "task"("reminder_at");

-- CreateIndex
CREATE INDEX "contact_copy_tenant_id_email_idx" ON "contact_copy"("tenant_id", "email");

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "sales_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_stage" ADD CONSTRAINT "pipeline_stage_pipeline_id_fkey" FOREIGN KEY ("pipeline_id") REFERENCES "pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Deal search (title and customer name) by trigram, like contacts' search.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";
CREATE INDEX "deal_search_idx" ON "deal" USING GIN ("title" gin_trgm_ops, "customer_name" gin_trgm_ops);
