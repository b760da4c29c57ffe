-- migration: 0010_my_rooms (the rooms someone joined lately, for their home page)

-- "My rooms" lists the rooms a person joined, the latest first.
CREATE INDEX room_participants_subject_id_last_seen_at_idx
    ON room_participants (subject_id, last_seen_at);
