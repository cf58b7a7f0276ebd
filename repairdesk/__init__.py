"""repairdesk — the 24-hour repair desk of a residential property-management office."""

__version__ = "0.1.0"
