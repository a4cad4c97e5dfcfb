-- DropIndex
DROP INDEX "company_search_idx";

-- DropIndex
DROP INDEX "contact_search_idx";

-- CreateTable
CREATE TABLE "search_word" (
    "tenant_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "typo_keys" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "search_word_pkey" PRIMARY KEY ("tenant_id","word")
);

-- CreateTable
CREATE TABLE "contact_search_word" (
    "tenant_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,

    CONSTRAINT "contact_search_word_pkey" PRIMARY KEY ("tenant_id","word","contact_id")
);

-- CreateTable
CREATE TABLE "company_search_word" (
    "tenant_id" TEXT NOT NULL,
    "word" TEXT NOT NULL,
    "company_id" UUID NOT NULL,

    CONSTRAINT "company_search_word_pkey" PRIMARY KEY ("tenant_id","word","company_id")
);

-- Backfill (before the indexes: faster). The words of every contact search_text and of every
-- company name, as shared/search-words.ts makes them: the runs of letters and the runs of digits
-- (erased contacts have an empty search_text, hence none). Then each tenant vocabulary, with the
-- typo keys of typoKeysSql.
INSERT INTO "contact_search_word" ("tenant_id", "word", "contact_id")
SELECT DISTINCT c."tenant_id", w.run[1], c."id"
FROM "contact" c CROSS JOIN LATERAL regexp_matches(c."search_text", '[[:alpha:]]+|[[:digit:]]+', 'g') AS w(run);

INSERT INTO "company_search_word" ("tenant_id", "word", "company_id")
SELECT DISTINCT c."tenant_id", w.run[1], c."id"
FROM "company" c CROSS JOIN LATERAL regexp_matches(c."sort_name", '[[:alpha:]]+|[[:digit:]]+', 'g') AS w(run);

INSERT INTO "search_word" ("tenant_id", "word", "typo_keys")
SELECT t, w,
  CASE WHEN w ~ '^[[:alpha:]]{3,8}$'
    THEN array_prepend(w, ARRAY(SELECT overlay(w placing '' from i for 1) FROM generate_series(1, length(w)) AS i))
    ELSE '{}' END
FROM (SELECT "tenant_id", "word" FROM "contact_search_word" UNION SELECT "tenant_id", "word" FROM "company_search_word") AS words(t, w);

-- CreateIndex
CREATE INDEX "search_word_trgm_idx" ON "search_word" USING GIN ("tenant_id" text_ops, "word" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "search_word_typo_keys_idx" ON "search_word" USING GIN ("tenant_id" text_ops, "typo_keys" array_ops);

-- CreateIndex
CREATE INDEX "contact_search_word_contact_id_idx" ON "contact_search_word"("contact_id");

-- CreateIndex
CREATE INDEX "company_search_word_company_id_idx" ON "company_search_word"("company_id");

