"""Widgets. They render what services tell them and emit what the user does."""
