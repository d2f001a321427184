"""The audit trail: who changed what, when, through which channel."""
