-- migration: 0004_friendship_pairs (one friendship row per pair of users, whichever way)

-- Simultaneous requests A->B and B->A could both be stored, leaving each user
-- with the other as a friend and as a pending request at once. Of two rows of
-- one pair, keep an accepted one over a pending one, then the earlier one.
DELETE FROM friendships WHERE EXISTS (SELECT 1 FROM friendships other WHERE other.requester_id = friendships.addressee_id AND other.addressee_id = friendships.requester_id AND ((other.status = 'accepted' AND friendships.status <> 'accepted') OR (other.status = friendships.status AND (other.created_at < friendships.created_at OR (other.created_at = friendships.created_at AND other.requester_id < friendships.requester_id)))));

-- The pair in a fixed order, unique: the database itself refuses the second row.
CREATE UNIQUE INDEX friendships_pair_idx ON friendships ((CASE WHEN requester_id < addressee_id THEN requester_id ELSE addressee_id END), (CASE WHEN requester_id < addressee_id THEN addressee_id ELSE requester_id END));
