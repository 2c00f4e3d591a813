"""Compare: one message answered 2 to 4 times at once, side by side (issue 19)."""
