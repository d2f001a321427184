"""People, organisations, localities, sign-in credentials and API tokens."""
