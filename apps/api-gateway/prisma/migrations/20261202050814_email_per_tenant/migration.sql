-- DropIndex
DROP INDEX "app_user_email_key";

-- DropIndex
DROP INDEX "app_user_tenant_id_idx";

-- AlterTable: existing organisations get a slug from their name and id (unique), then it is required.
ALTER TABLE "tenant" ADD COLUMN     "slug" TEXT;
UPDATE "tenant" SET "slug" = concat_ws('-',
  NULLIF(left(trim(both '-' from regexp_replace(lower("name"), '[^a-z0-9]+', '-', 'g')), 40), ''),
  left(replace("id"::text, '-', ''), 8));
ALTER TABLE "tenant" ALTER COLUMN "slug" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "tenant_slug_key" ON "tenant"("slug");

-- CreateIndex
CREATE INDEX "app_user_email_idx" ON "app_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_tenant_id_email_key" ON "app_user"("tenant_id", "email");

