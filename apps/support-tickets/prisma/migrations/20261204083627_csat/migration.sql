-- AlterTable
ALTER TABLE "ticket" ADD COLUMN     "csat_at" TIMESTAMPTZ(3),
ADD COLUMN     "csat_comment" TEXT,
ADD COLUMN     "csat_rating" TEXT,
ADD COLUMN     "csat_sent_at" TIMESTAMPTZ(3);

