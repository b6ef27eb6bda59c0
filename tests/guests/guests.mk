# tests/guests: see the folder's sources.
