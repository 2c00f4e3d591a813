"""Parser rules for LaTeX-style math delimiters ``\\(…\\)`` and ``\\[…\\]``.

Dollar math comes from mdit-py-plugins' ``dollarmath``; these two rules add the
bracket forms that gpt-4o and deepseek use most. Both produce the same token
types as ``dollarmath`` (``math_inline`` / ``math_block``) so one render rule
serves every delimiter. The block form never spans a blank line (LaTeX does not
allow one either), which also keeps the streaming renderer's freeze points safe:
text after a blank line can never change how earlier lines parse.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline


def _bracket_inline(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith("\\(", start):
        return False
    close = state.src.find("\\)", start + 2, state.posMax)
    if close < 0 or close == start + 2:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = state.src[start + 2 : close]
        token.markup = "\\("
    state.pos = close + 2
    return True


def _bracket_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith("\\[", begin, state.eMarks[start_line]):
        return False
    first = state.src[begin + 2 : state.eMarks[start_line]]
    lines: list[str] = []
    line = start_line
    text = first
    while True:
        stripped = text.rstrip()
        if stripped.endswith("\\]") and not (line == start_line and len(stripped) < 2):
            lines.append(stripped[:-2])
            break
        lines.append(text)
        line += 1
        if line >= end_line or state.isEmpty(line):
            return False
        text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    if silent:
        return True
    state.line = line + 1
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = "\n".join(part.strip() for part in lines).strip()
    token.markup = "\\["
    token.map = [start_line, state.line]
    return True


def bracket_math_plugin(md: MarkdownIt) -> None:
    """Teach ``md`` the ``\\(…\\)`` inline and ``\\[…\\]`` display math forms."""
    # Before "escape", or the backslash would be eaten as an escape of "(".
    md.inline.ruler.before("escape", "math_inline_bracket", _bracket_inline)
    md.block.ruler.before(
        "fence",
        "math_block_bracket",
        _bracket_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
