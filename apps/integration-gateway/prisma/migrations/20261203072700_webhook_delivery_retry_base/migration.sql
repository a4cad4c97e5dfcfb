-- A replayed delivery starts its retry schedule again, while its attempts keep counting (the delivery log).
ALTER TABLE "webhook_delivery" ADD COLUMN "retry_base" INTEGER NOT NULL DEFAULT 0;
