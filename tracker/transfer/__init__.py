"""Import and export of action plans and recommendations (XLSX, CSV, YAML, JSON) and the
iCalendar feeds of due dates."""
