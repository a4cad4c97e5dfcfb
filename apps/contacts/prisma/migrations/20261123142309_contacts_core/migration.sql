-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gin";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "fuzzystrmatch";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateTable
CREATE TABLE "company" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sort_name" TEXT NOT NULL,
    "domain" TEXT,
    "industry" TEXT,
    "phones" JSONB NOT NULL DEFAULT '[]',
    "addresses" JSONB NOT NULL DEFAULT '[]',
    "owner_id" UUID,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "custom_fields" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "company_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT,
    "sort_last_name" TEXT NOT NULL,
    "title" TEXT,
    "addresses" JSONB NOT NULL DEFAULT '[]',
    "company_id" UUID,
    "owner_id" UUID,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "lifecycle_stage" TEXT NOT NULL DEFAULT 'lead',
    "custom_fields" JSONB NOT NULL DEFAULT '{}',
    "search_text" TEXT NOT NULL,
    "company_search_text" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_email" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "address_key" TEXT NOT NULL,
    "label" TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "contact_email_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_phone" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "number" TEXT NOT NULL,
    "digits" TEXT NOT NULL,
    "label" TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "contact_phone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interaction" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "direction" TEXT,
    "subject" TEXT,
    "body" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "logged_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "interaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_field_definition" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "options" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "required" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_field_definition_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "company_tenant_id_sort_name_id_idx" ON "company"("tenant_id", "sort_name", "id");

-- CreateIndex
CREATE INDEX "company_tenant_id_updated_at_id_idx" ON "company"("tenant_id", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "company_tenant_id_created_at_id_idx" ON "company"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "company_tenant_id_owner_id_idx" ON "company"("tenant_id", "owner_id");

-- CreateIndex
CREATE INDEX "company_tenant_id_tags_idx" ON "company" USING GIN ("tenant_id" text_ops, "tags" array_ops);

-- CreateIndex
CREATE INDEX "company_search_idx" ON "company" USING GIN ("tenant_id" text_ops, "sort_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contact_tenant_id_updated_at_id_idx" ON "contact"("tenant_id", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_created_at_id_idx" ON "contact"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_sort_last_name_id_idx" ON "contact"("tenant_id", "sort_last_name", "id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_lifecycle_stage_updated_at_id_idx" ON "contact"("tenant_id", "lifecycle_stage", "updated_at" DESC, "id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_company_id_idx" ON "contact"("tenant_id", "company_id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_owner_id_idx" ON "contact"("tenant_id", "owner_id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_tags_idx" ON "contact" USING GIN ("tenant_id" text_ops, "tags" array_ops);

-- CreateIndex
CREATE INDEX "contact_search_idx" ON "contact" USING GIN ("tenant_id" text_ops, "search_text" gin_trgm_ops, "company_search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "contact_email_tenant_id_address_key_idx" ON "contact_email"("tenant_id", "address_key");

-- CreateIndex
CREATE UNIQUE INDEX "contact_email_contact_id_position_key" ON "contact_email"("contact_id", "position");

-- CreateIndex
CREATE INDEX "contact_phone_tenant_id_digits_idx" ON "contact_phone"("tenant_id", "digits");

-- CreateIndex
CREATE UNIQUE INDEX "contact_phone_contact_id_position_key" ON "contact_phone"("contact_id", "position");

-- CreateIndex
CREATE INDEX "interaction_tenant_id_contact_id_occurred_at_id_idx" ON "interaction"("tenant_id", "contact_id", "occurred_at" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "custom_field_definition_tenant_id_entity_key_key" ON "custom_field_definition"("tenant_id", "entity", "key");

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_company_id_fkey" FOREIGN KEY ("company_id") REFERENCES "company"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_email" ADD CONSTRAINT "contact_email_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_phone" ADD CONSTRAINT "contact_phone_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interaction" ADD CONSTRAINT "interaction_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

