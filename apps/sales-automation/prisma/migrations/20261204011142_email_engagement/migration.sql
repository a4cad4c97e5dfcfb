-- CreateTable
CREATE TABLE "email_engagement" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "send_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "url" TEXT NOT NULL DEFAULT '',
    "url_hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_engagement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_engagement_tenant_id_contact_id_idx" ON "email_engagement"("tenant_id", "contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "email_engagement_send_id_kind_url_hash_key" ON "email_engagement"("send_id", "kind", "url_hash");

