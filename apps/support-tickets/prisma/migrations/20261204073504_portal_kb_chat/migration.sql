-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gin";

-- AlterTable
ALTER TABLE "outgoing_email" ALTER COLUMN "ticket_id" DROP NOT NULL,
ALTER COLUMN "message_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "portal_sign_in_link" (
    "token_hash" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_sign_in_link_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "kb_category" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kb_category_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kb_article" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "category_id" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "published_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "search" tsvector,

    CONSTRAINT "kb_article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_session" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "customer_email" TEXT NOT NULL,
    "agent_id" TEXT,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "chat_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chat_line" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "chat_id" UUID NOT NULL,
    "author_type" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chat_line_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "portal_sign_in_link_expires_at_idx" ON "portal_sign_in_link"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "kb_category_tenant_id_name_key" ON "kb_category"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "kb_article_search_idx" ON "kb_article" USING GIN ("tenant_id" text_ops, "search" tsvector_ops);

-- CreateIndex
CREATE INDEX "kb_article_tenant_id_status_updated_at_idx" ON "kb_article"("tenant_id", "status", "updated_at" DESC);

-- CreateIndex
CREATE INDEX "chat_session_tenant_id_status_idx" ON "chat_session"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "chat_line_chat_id_created_at_idx" ON "chat_line"("chat_id", "created_at");

-- CreateIndex
CREATE INDEX "ticket_tenant_id_requester_email_created_at_id_idx" ON "ticket"("tenant_id", "requester_email", "created_at" DESC, "id");

