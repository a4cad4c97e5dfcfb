-- AlterTable
ALTER TABLE "contact_view" ADD COLUMN     "changed_at" TIMESTAMPTZ(3);

