-- CreateTable
CREATE TABLE "macro" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "reply" JSONB,
    "set_fields" JSONB NOT NULL DEFAULT '{}',
    "add_tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "remove_tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "macro_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "macro_tenant_id_name_key" ON "macro"("tenant_id", "name");

