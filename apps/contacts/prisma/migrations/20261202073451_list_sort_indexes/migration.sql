-- CreateIndex
CREATE INDEX "contact_tenant_id_lifecycle_stage_created_at_id_idx" ON "contact"("tenant_id", "lifecycle_stage", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "contact_tenant_id_lifecycle_stage_sort_last_name_id_idx" ON "contact"("tenant_id", "lifecycle_stage", "sort_last_name", "id");

