-- Email (issue 14): templates, each contact's consent and its history, the send log.

-- CreateTable
CREATE TABLE "email_template" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "email_template_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_consent" (
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_consent_pkey" PRIMARY KEY ("tenant_id","contact_id")
);

-- CreateTable
CREATE TABLE "email_consent_history" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_consent_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "email_send" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "send_key" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "template_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "source_kind" TEXT,
    "source_id" TEXT,
    "message_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "email_send_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_template_tenant_id_created_at_id_idx" ON "email_template"("tenant_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "email_consent_history_tenant_id_contact_id_at_idx" ON "email_consent_history"("tenant_id", "contact_id", "at");

-- CreateIndex
CREATE INDEX "email_send_tenant_id_contact_id_idx" ON "email_send"("tenant_id", "contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_send_tenant_id_send_key_key" ON "email_send"("tenant_id", "send_key");
