"""The chat API client. Never imports Qt."""
