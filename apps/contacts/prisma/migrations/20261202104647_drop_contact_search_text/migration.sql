-- Dead state: nothing reads search_text or company_search_text since search moved to the word
-- tables (20261201002156_search_words), yet they were still written on every create, update and
-- import, and a company rename rewrote every one of its contacts.
-- AlterTable
ALTER TABLE "contact" DROP COLUMN "company_search_text",
DROP COLUMN "search_text";
