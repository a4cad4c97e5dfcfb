-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "merged_into_id" UUID;

-- CreateIndex
CREATE INDEX "contact_tenant_id_merged_into_id_idx" ON "contact"("tenant_id", "merged_into_id");

