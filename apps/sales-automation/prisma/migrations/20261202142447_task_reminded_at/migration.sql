-- AlterTable
ALTER TABLE "task" ADD COLUMN     "reminded_at" TIMESTAMPTZ(3);

