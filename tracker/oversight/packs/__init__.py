"""Meeting packs: a board's papers for a meeting, generated as at the papers deadline and frozen
once issued (models, the SQL that builds a pack's data, rendering, pages and the CLI command)."""
