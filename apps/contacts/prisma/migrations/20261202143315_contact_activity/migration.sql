-- CreateTable
CREATE TABLE "contact_activity" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "contact_id" UUID,
    "kind" TEXT NOT NULL,
    "title" TEXT,
    "status" TEXT NOT NULL,
    "amount_minor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "counts" BOOLEAN NOT NULL DEFAULT false,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_activity_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "contact_activity_tenant_id_contact_id_occurred_at_id_idx" ON "contact_activity"("tenant_id", "contact_id", "occurred_at" DESC, "id");

