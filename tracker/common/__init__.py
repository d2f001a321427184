"""Small things every area uses: time, column types and domain errors."""
