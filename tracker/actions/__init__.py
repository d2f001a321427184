"""Actions, owners' updates, and the RAG rule."""
