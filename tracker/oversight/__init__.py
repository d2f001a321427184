"""Oversight for chairs: board dashboards, meeting packs, the review-wide matrix, charts."""
