"""Signed links in emails: owners update actions without an account."""
