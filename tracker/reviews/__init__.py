"""Reviews, their recommendations and themes."""
