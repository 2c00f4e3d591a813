"""Markdown to Qt rich text, including the incremental streaming renderer."""
