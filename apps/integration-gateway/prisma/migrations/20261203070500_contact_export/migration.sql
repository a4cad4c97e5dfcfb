-- CreateTable
CREATE TABLE "contact_export" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "columns" TEXT[],
    "state" TEXT NOT NULL DEFAULT 'queued',
    "cursor" TEXT,
    "rows_exported" INTEGER NOT NULL DEFAULT 0,
    "chunks" INTEGER NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_export_chunk" (
    "export_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "contact_export_chunk_pkey" PRIMARY KEY ("export_id","seq")
);

-- CreateIndex
CREATE INDEX "contact_export_tenant_id_created_at_id_idx" ON "contact_export"("tenant_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "contact_export_state_updated_at_idx" ON "contact_export"("state", "updated_at");

-- CreateIndex
CREATE INDEX "contact_export_expires_at_idx" ON "contact_export"("expires_at");

-- AddForeignKey
ALTER TABLE "contact_export_chunk" ADD CONSTRAINT "contact_export_chunk_export_id_fkey" FOREIGN KEY ("export_id") REFERENCES "contact_export"("id") ON DELETE CASCADE ON UPDATE CASCADE;
