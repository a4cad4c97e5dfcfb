-- AlterTable
ALTER TABLE "company" ADD COLUMN     "purged_at" TIMESTAMPTZ(3);

