# libbuild: see the folder's sources.
