-- AlterTable
ALTER TABLE "contact" ADD COLUMN     "email_list" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "phone_list" JSONB NOT NULL DEFAULT '[]';


-- Backfill: each contact's emails and phones as reads return them (ContactRow), in position order.
UPDATE "contact" c SET
  "email_list" = coalesce((SELECT jsonb_agg(jsonb_build_object(
      'id', e."id", 'tenantId', e."tenant_id", 'contactId', e."contact_id", 'position', e."position", 'address', e."address",
      'addressKey', e."address_key", 'label', e."label", 'primary', e."primary") ORDER BY e."position")
    FROM "contact_email" e WHERE e."contact_id" = c."id"), '[]'::jsonb),
  "phone_list" = coalesce((SELECT jsonb_agg(jsonb_build_object(
      'id', p."id", 'tenantId', p."tenant_id", 'contactId', p."contact_id", 'position', p."position", 'number', p."number",
      'digits', p."digits", 'label', p."label", 'primary', p."primary") ORDER BY p."position")
    FROM "contact_phone" p WHERE p."contact_id" = c."id"), '[]'::jsonb)
WHERE EXISTS (SELECT 1 FROM "contact_email" e WHERE e."contact_id" = c."id")
   OR EXISTS (SELECT 1 FROM "contact_phone" p WHERE p."contact_id" = c."id");
