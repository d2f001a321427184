"""The demo: a realistic data set loaded through the services, and a synthetic scale generator."""
