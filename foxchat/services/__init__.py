"""QObjects without widgets: they own asyncio tasks and emit signals."""
