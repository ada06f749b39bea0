-- A participant's lease belongs to the identity that created it (the authenticated user name; NULL when
-- access control is off): only that identity or an admin may renew, change or delete it.
ALTER TABLE negotiation_participants ADD COLUMN owner TEXT;
