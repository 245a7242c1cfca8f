"""Who can help me: organisations that offer a kind of help on an area, nearest a region first,
and the other way round, those that look for it."""
