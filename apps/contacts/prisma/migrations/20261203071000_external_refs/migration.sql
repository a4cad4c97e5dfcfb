-- Records keyed by an outside system's ids (ERP upserts through the integration gateway).
CREATE TABLE "external_ref" (
    "tenant_id" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "system" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "record_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_ref_pkey" PRIMARY KEY ("tenant_id","object","system","external_id")
);

CREATE INDEX "external_ref_tenant_id_record_id_idx" ON "external_ref"("tenant_id", "record_id");
