# Copy to instance/config.py (make run writes one with a fresh SECRET_KEY on first run).
# Environment variables (DATABASE_URL, SECRET_KEY, REDIS_URL, ...) override what is set here.

SECRET_KEY = "change-me: a long random string, e.g. python -c 'import secrets; print(secrets.token_hex(32))'"
# CCCD_HASH_KEY = "another long random string; keep it for the life of the contests"
# SQLALCHEMY_DATABASE_URI = "postgresql://hoithi:password@localhost/hoithi"
# REDIS_URL = "redis://localhost:6379/0"
# MIN_AGE = 18
