"""What the public sends and the moderators decide: forms, anti-abuse, the queue, emails."""
