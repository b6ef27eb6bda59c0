# cli: see the folder's sources.
