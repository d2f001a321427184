"""Email: the outbox, composing messages, delivering them."""
