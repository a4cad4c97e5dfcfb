-- CreateTable
CREATE TABLE "data_subject_request" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "data_subject_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "data_subject_request_tenant_id_requested_at_id_idx" ON "data_subject_request"("tenant_id", "requested_at" DESC, "id");

