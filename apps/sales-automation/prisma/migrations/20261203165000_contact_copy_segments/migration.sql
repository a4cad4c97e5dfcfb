-- Contact copies keep tags and custom fields: campaign segments and rule conditions read them.

-- AlterTable
ALTER TABLE "contact_copy" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "custom_fields" JSONB NOT NULL DEFAULT '{}';
