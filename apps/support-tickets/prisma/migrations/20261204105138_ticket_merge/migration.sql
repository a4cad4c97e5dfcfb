-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "merged_into_id" UUID;

