-- CreateTable
CREATE TABLE "support_form" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "form_key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "group_id" UUID,
    "allowed_origins" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "support_form_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "support_form_form_key_key" ON "support_form"("form_key");

-- CreateIndex
CREATE INDEX "support_form_tenant_id_idx" ON "support_form"("tenant_id");

