-- What schema.prisma cannot say (Prisma has no partial index), applied after it wherever a
-- database is made from the schema; the migrations make the same (libs/testing migrations.spec).
-- A contact's company, owner and survivor are looked up by value only (`= $1`, `= ANY(...)`),
-- which implies IS NOT NULL: the indexes leave out the contacts without one, so that writing
-- such a contact (most new ones: the create benchmark's each) adds no entry to them.
CREATE INDEX "contact_tenant_id_company_id_idx" ON "contact"("tenant_id", "company_id") WHERE "company_id" IS NOT NULL;
CREATE INDEX "contact_tenant_id_owner_id_idx" ON "contact"("tenant_id", "owner_id") WHERE "owner_id" IS NOT NULL;
CREATE INDEX "contact_tenant_id_merged_into_id_idx" ON "contact"("tenant_id", "merged_into_id") WHERE "merged_into_id" IS NOT NULL;
