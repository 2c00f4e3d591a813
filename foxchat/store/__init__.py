"""The conversation store on SQLite. Never imports Qt."""
