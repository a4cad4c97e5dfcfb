-- What schema.prisma cannot say (Prisma has no column collation), applied after it wherever a
-- database is made from the schema; the migrations make the same (libs/testing migrations.spec).
-- Fractional-index keys compare byte by byte, whatever the database's default collation.
ALTER TABLE "deal" ALTER COLUMN "position" TYPE TEXT COLLATE "C";

-- A product's external id set without a system (the API's create and update) is unique per tenant
-- among such products; with a system, the key is (tenant, system, external id) (schema.prisma).
CREATE UNIQUE INDEX "product_tenant_id_external_id_no_system_key" ON "product"("tenant_id", "external_id") WHERE "external_system" IS NULL;

-- One active or paused enrolment per contact and sequence (a finished one may be followed by a new one).
CREATE UNIQUE INDEX "sequence_enrolment_one_running_key" ON "sequence_enrolment"("tenant_id", "sequence_id", "contact_id") WHERE "status" IN ('active', 'paused');
-- The runner reads active enrolments by due time only.
CREATE INDEX "sequence_enrolment_due_idx" ON "sequence_enrolment"("due_at") WHERE "status" = 'active';
-- The campaign runner reads pending recipients by due time only.
CREATE INDEX "campaign_recipient_due_idx" ON "campaign_recipient"("due_at") WHERE "status" = 'pending';
