"""FoxChat: a native desktop chat client for OpenAI-compatible chat APIs."""

__version__ = "0.1.0"
APP_NAME = "FoxChat"
DEFAULT_BASE_URL = "https://api.foxapi.cc/v1"
