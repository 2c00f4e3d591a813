"""Developer scripts (run as files: ``python scripts/screenshot.py``)."""
