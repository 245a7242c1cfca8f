"""The maps: the landscape of areas, where organisations are, and how they are linked."""
