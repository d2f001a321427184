"""The scheduler process: fixed periodic jobs (reminder sweep, outbox delivery, daily board
snapshots), each tick run at a boundary that commits and records a heartbeat.

It runs as its own process (``flask --app wsgi scheduler``), never inside the web server: under
gunicorn every worker would run every job, and the reloader would run them twice.
"""
