"""What query counts depend on besides the code under test."""

import os

# Every throttled API answer and every form post counts its client in the shared limits store
# (ethicalmap/limits.py): one query when the store is the database, none when it is Redis.
LIMIT_QUERIES = 0 if os.environ.get("REDIS_URL") else 1
