"""Background jobs: long work (large exports, a full rankings recompute) run outside the request that asks for
it, with a record in the database that every app server can show."""
