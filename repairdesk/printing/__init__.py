"""Printing work orders: settings, the printed form, renderers (PDF, plain text for
dot-matrix printers) and backends (CUPS through `lp`, a folder of files).

Nothing here imports Textual or the database: services/print_queue.py and print_run.py tie it
to the queue.
"""
