"""Report outputs: the sections every format shares, the terminal table, CSV, XLSX and PDF
(with charts drawn as images). The figures themselves come from services/reports.py and
services/daily.py."""
