"""Insights: counts, charts and gaps of the published map, their CSVs, and the embed."""
