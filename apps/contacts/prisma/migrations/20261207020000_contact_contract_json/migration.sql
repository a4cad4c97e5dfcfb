-- A contact as the contract's JSON text, kept by a trigger (schema.prisma: Contact.contractJson).
ALTER TABLE "contact" ADD COLUMN "contract_json" TEXT NOT NULL DEFAULT '';

-- contact.contract_json (schema.prisma says what it is for): the contact as the contract's JSON,
-- in toContact's key order (contacts' contact.table.spec holds the two together). Emails and
-- phones from the stored lists: `address`/`number`, then `label` only when set, then `primary`.
-- The body is a string with its semicolons escaped (\x3b): Prisma's pg adapter runs a migration
-- split at every semicolon, dollar quotes or not.
CREATE FUNCTION "contact_contract_json"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  NEW.contract_json := (SELECT row_to_json(j)::text FROM (SELECT NEW.id, NEW.first_name AS "firstName", NEW.last_name AS "lastName", NEW.title,
    (SELECT coalesce(json_agg(json_strip_nulls(json_build_object(''address'', x.e -> ''address'', ''label'', x.e -> ''label'', ''primary'', x.e -> ''primary'')) ORDER BY x.n), ''[]'')
      FROM jsonb_array_elements(NEW.email_list) WITH ORDINALITY AS x(e, n)) AS emails,
    (SELECT coalesce(json_agg(json_strip_nulls(json_build_object(''number'', x.e -> ''number'', ''label'', x.e -> ''label'', ''primary'', x.e -> ''primary'')) ORDER BY x.n), ''[]'')
      FROM jsonb_array_elements(NEW.phone_list) WITH ORDINALITY AS x(e, n)) AS phones,
    NEW.addresses, NEW.company_id AS "companyId", NEW.owner_id AS "ownerId", NEW.tags, NEW.lifecycle_stage AS "lifecycleStage",
    NEW.custom_fields AS "customFields", NEW.version,
    to_char(NEW.created_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'') AS "createdAt",
    to_char(NEW.updated_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'') AS "updatedAt",
    to_char(NEW.deleted_at AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'') AS "deletedAt") j)\x3b
  RETURN NEW\x3b
END
';
CREATE TRIGGER "contact_contract_json" BEFORE INSERT OR UPDATE ON "contact" FOR EACH ROW EXECUTE FUNCTION "contact_contract_json"();

-- Every existing contact through the trigger once.
UPDATE "contact" SET "contract_json" = '';
