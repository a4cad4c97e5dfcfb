-- Records keyed by an ERP's ids (issue 13): products by (tenant, system, external id), orders'
-- invoice and payment, the ERP's order number on a won deal.

-- DropIndex
DROP INDEX "product_tenant_id_external_id_key";

-- AlterTable
ALTER TABLE "product" ADD COLUMN     "external_system" TEXT;

-- AlterTable
ALTER TABLE "sales_order" ADD COLUMN     "invoice_number" TEXT,
ADD COLUMN     "invoice_status" TEXT,
ADD COLUMN     "invoice_issued_at" TIMESTAMPTZ(3),
ADD COLUMN     "invoice_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "payment_status" TEXT,
ADD COLUMN     "paid_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "deal" ADD COLUMN     "erp_order_number" TEXT,
ADD COLUMN     "erp_system" TEXT,
ADD COLUMN     "erp_order_acknowledged_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "product_tenant_id_external_system_external_id_key" ON "product"("tenant_id", "external_system", "external_id");

-- An external id without a system (set through the API) stays unique per tenant (schema-extras.sql).
CREATE UNIQUE INDEX "product_tenant_id_external_id_no_system_key" ON "product"("tenant_id", "external_id") WHERE "external_system" IS NULL;
