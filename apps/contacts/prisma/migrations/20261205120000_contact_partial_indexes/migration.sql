-- A contact's company, owner and survivor indexes hold only the contacts that have one
-- (prisma/schema-extras.sql says why).
DROP INDEX "contact_tenant_id_company_id_idx";
CREATE INDEX "contact_tenant_id_company_id_idx" ON "contact"("tenant_id", "company_id") WHERE "company_id" IS NOT NULL;

DROP INDEX "contact_tenant_id_owner_id_idx";
CREATE INDEX "contact_tenant_id_owner_id_idx" ON "contact"("tenant_id", "owner_id") WHERE "owner_id" IS NOT NULL;

DROP INDEX "contact_tenant_id_merged_into_id_idx";
CREATE INDEX "contact_tenant_id_merged_into_id_idx" ON "contact"("tenant_id", "merged_into_id") WHERE "merged_into_id" IS NOT NULL;
