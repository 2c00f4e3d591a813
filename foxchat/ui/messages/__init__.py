"""The message column: each message's bubble, its Markdown body and how a streaming reply is drawn.

``message_view`` is the paged column, ``message_widget`` one bubble (with
``message_header`` and ``tool_calls``), ``markdown_view`` a reply's body,
``streaming_document`` how a streaming reply is patched into it (with
``code_line_writer``), and ``partial_reply`` what a stopped reply shows.
"""
