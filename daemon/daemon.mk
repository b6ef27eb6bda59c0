# daemon: see the folder's sources.
