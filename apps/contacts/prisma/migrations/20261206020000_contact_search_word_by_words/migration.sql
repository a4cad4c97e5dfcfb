-- A contact's search-word links are found by their words (the primary key), which every writer
-- knows: the index on contact_id cost each link of each new contact a second entry.
DROP INDEX "contact_search_word_contact_id_idx";
