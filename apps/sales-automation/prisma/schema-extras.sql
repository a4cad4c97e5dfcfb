-- What schema.prisma cannot say (Prisma has no column collation), applied after it wherever a
-- database is made from the schema; the migrations make the same (libs/testing migrations.spec).
-- Fractional-index keys compare byte by byte, whatever the database's default collation.
ALTER TABLE "deal" ALTER COLUMN "position" TYPE TEXT COLLATE "C";
