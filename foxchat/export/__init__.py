"""Chats leaving the app as documents: self-contained HTML, PDF, and print.

``html`` is Qt-free (the CLI and tests use it without a window); ``pdf``
lays the same HTML out with Qt's own text engine and prints it to a PDF file
or a printer. Neither imports ``ui`` or ``services``.
"""
