"""Site-wide pages and template filters that belong to no single domain."""
