"""Full-text search over titles and message text, safe for anything a user types.

The FTS5 tables use the trigram tokenizer, so a query matches inside words
(prefixes included) and in Chinese or Japanese text, which has no spaces.
Trigrams need three characters; shorter terms ("AI", "猫", "日本") are matched
with LIKE on the same tables instead. Each term is quoted before it reaches
FTS5, so quotes, AND/OR/NOT, stars and brackets are searched as plain text
and never raise. Attached files are found by their names and by the text of
documents (``attachment_fts``). Snippets are cut here, from the original text, with every
match between "\\x02" and "\\x03". Matching titles come first, then messages,
each best first by bm25. A query so common that it matches more than
``_RANK_WINDOW`` messages ranks only the newest of them, the same way, so its
cost does not grow with the history (see ``_newest_scored``).
"""

from __future__ import annotations

import re
import sqlite3
from typing import Final

from foxchat.store.database import Database
from foxchat.store.models import SearchHit

_TRIGRAM: Final = 3
_SNIPPET_CHARS: Final = 120
# A query matching more messages than this ranks only the newest this many
# (see _newest_scored).
_RANK_WINDOW: Final = 1_000
_CLEAN_CHARS: Final = 1000
_MARK_START: Final = "\x02"
_MARK_END: Final = "\x03"
# Sentence punctuation around a word is not part of what the user looks for.
_EDGE_PUNCTUATION: Final = ",.;:!?()[]{}'\"" + (
    # curly quotes and CJK punctuation (escaped: they look like ASCII ones)
    "\u201c\u201d\u2018\u2019\uff0c\u3002\uff01\uff1f\uff1b\uff1a\u3001\uff08\uff09\u300c\u300d\u300e\u300f"
)
_TERM = re.compile(r'"([^"]*)"|(\S+)')
# Markdown that a snippet shows as plain words (replies are Markdown source).
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_FENCE_LINE = re.compile(r"^\s*(```|~~~)")
_LINE_MARKUP = re.compile(r"^\s*(#{1,6}\s+|>\s?|[-*+]\s+(\[[ xX]\]\s+)?)")
_INLINE_MARKUP = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](url), images
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # **strong**
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *em*
    (re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"), r"\1"),  # _em_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # ~~struck~~
    (re.compile(r"(`+)(.+?)\1"), r"\2"),  # `code`
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_terms(query: str) -> list[str]:
    """The terms of a user's query: quoted phrases kept whole, words otherwise."""
    terms: list[str] = []
    for match in _TERM.finditer(query):
        phrase, word = match.group(1), match.group(2)
        term = phrase.strip() if phrase is not None else word.strip(_EDGE_PUNCTUATION) or word
        # Control characters (NUL ends an FTS5 string early) are never what users mean.
        term = _CONTROL.sub("", term)
        if term and term not in terms:
            terms.append(term)
    return terms


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(
    terms: list[str], table: str, columns: tuple[str, ...]
) -> tuple[str, list[object], str]:
    """WHERE clause, its values, and the rank expression for one FTS table."""
    long_terms = [t for t in terms if len(t) >= _TRIGRAM]
    short_terms = [t for t in terms if len(t) < _TRIGRAM]
    clauses: list[str] = []
    values: list[object] = []
    if long_terms:
        clauses.append(f"{table} MATCH ?")
        values.append(" AND ".join(_fts_phrase(t) for t in long_terms))
    for term in short_terms:
        either = " OR ".join(f"f.{column} LIKE ? ESCAPE '\\'" for column in columns)
        clauses.append(f"({either})")
        values.extend([_like_pattern(term)] * len(columns))
    weights = ", ".join("1.0" if i == 0 else "0.5" for i in range(len(columns)))
    rank = f"bm25({table}, {weights})" if long_terms else "0.0"
    return " AND ".join(clauses), values, rank


def plain_text(markdown: str) -> str:
    """``markdown`` as the words a reader sees: no table pipes, no markup characters."""
    lines: list[str] = []
    for line in markdown.splitlines():
        if _TABLE_RULE.match(line) or _FENCE_LINE.match(line):
            continue
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            line = " · ".join(cell for cell in cells if cell)
        line = _LINE_MARKUP.sub("", line)
        for pattern, replacement in _INLINE_MARKUP:
            line = pattern.sub(replacement, line)
        lines.append(line)
    return "\n".join(lines)


def snippet(text: str, terms: list[str]) -> str:
    """A one-line excerpt around the first match, with every match marked.

    The excerpt shows Markdown as plain words: a reply's table row reads
    "-a · keeps dates and folders", not "| `-a` | keeps **dates** and folders |".
    """
    raw = text.replace(_MARK_START, "").replace(_MARK_END, "")
    pattern = re.compile(
        "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE
    )
    # Only the text around the first match is cleaned: a long message must
    # not make every keystroke in the search box slow.
    found = pattern.search(raw)
    at, after = (found.start(), found.end()) if found is not None else (0, 0)
    low, high = max(0, at - _CLEAN_CHARS), min(len(raw), after + _CLEAN_CHARS)
    line_start = raw.find("\n", low, at) if low > 0 else -1
    if line_start >= 0:
        low = line_start + 1  # whole lines, so a table row is still seen as one
    clean = " ".join(plain_text(raw[low:high]).split())
    first = pattern.search(clean)
    start = 0
    if first is not None and first.start() > _SNIPPET_CHARS // 3:
        start = first.start() - _SNIPPET_CHARS // 3
    end = min(len(clean), start + _SNIPPET_CHARS)
    window = clean[start:end]
    marked = pattern.sub(lambda m: f"{_MARK_START}{m.group(0)}{_MARK_END}", window)
    prefix = "…" if start > 0 or low > 0 else ""
    suffix = "…" if end < len(clean) or high < len(raw) else ""
    return f"{prefix}{marked}{suffix}"


def _matches(text: str, terms: list[str]) -> bool:
    folded = text.casefold()
    return any(t.casefold() in folded for t in terms)


def search(db: Database, query: str, limit: int = 50) -> list[SearchHit]:
    """Titles and messages matching every term, best first; deleted chats left out."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    with db.read() as conn:
        hits = _title_hits(conn, terms, limit) + _message_hits(conn, terms, limit)
        found = {hit.message_id for hit in hits}
        hits += [h for h in _attachment_hits(conn, terms, limit) if h.message_id not in found]
    # bm25 scores of two tables are not comparable; a matching title is the
    # strongest sign that this is the chat the user looks for, so titles lead.
    hits.sort(key=lambda hit: (hit.message_id is not None, hit.rank))
    return hits[:limit]


def _title_hits(conn: sqlite3.Connection, terms: list[str], limit: int) -> list[SearchHit]:
    where, values, rank = _conditions(terms, "title_fts", ("title",))
    rows = conn.execute(
        f"SELECT c.id, c.title, {rank} AS score FROM title_fts f"
        " JOIN conversations c ON c.id = f.rowid"
        f" WHERE {where} AND c.deleted_at IS NULL"
        " ORDER BY score, c.updated_at DESC LIMIT ?",
        (*values, limit),
    ).fetchall()
    return [
        SearchHit(
            conversation_id=row[0],
            message_id=None,
            title=row[1],
            snippet=snippet(row[1], terms),
            rank=float(row[2]),
        )
        for row in rows
    ]


def _message_hits(conn: sqlite3.Connection, terms: list[str], limit: int) -> list[SearchHit]:
    wanted = limit * 2  # room for hits in deleted chats, which are left out below
    match = " AND ".join(_fts_phrase(t) for t in terms if len(t) >= _TRIGRAM)
    if not match:
        where, values, _ = _conditions(terms, "message_fts", ("content", "reasoning"))
        # Without a trigram term there is no rank: newest first lets the scan stop early.
        best = conn.execute(
            f"SELECT f.rowid, 0.0 FROM message_fts f WHERE {where} ORDER BY f.rowid DESC LIMIT ?",
            (*values, wanted),
        ).fetchall()
    elif conn.execute(
        "SELECT 1 FROM message_fts WHERE message_fts MATCH ? LIMIT 1 OFFSET ?",
        (match, _RANK_WINDOW),
    ).fetchone():
        best = _newest_scored(conn, match, terms, wanted)
    else:
        where, values, rank = _conditions(terms, "message_fts", ("content", "reasoning"))
        best = conn.execute(
            f"SELECT f.rowid, {rank} AS score FROM message_fts f WHERE {where}"
            " ORDER BY score LIMIT ?",
            (*values, wanted),
        ).fetchall()
    if not best:
        return []
    score_of = {int(mid): float(score) for mid, score in best}
    marks = ", ".join("?" * len(score_of))
    # CROSS JOIN keeps SQLite from walking every chat that is not deleted and
    # looking for these ids in each (20 ms): look the few ids up, then their chats.
    rows = conn.execute(
        "SELECT m.id, m.conversation_id, c.title, m.content, m.reasoning FROM messages m"
        " CROSS JOIN conversations c ON c.id = m.conversation_id"
        f" WHERE m.id IN ({marks}) AND c.deleted_at IS NULL",
        tuple(score_of),
    ).fetchall()
    rows.sort(key=lambda row: (score_of[row[0]], -row[0]))
    hits: list[SearchHit] = []
    for mid, cid, title, content, reasoning in rows[:limit]:  # snippets only for those shown
        text = content if _matches(content, terms) or not _matches(reasoning, terms) else reasoning
        hits.append(
            SearchHit(
                conversation_id=cid,
                message_id=mid,
                title=title,
                snippet=snippet(text, terms),
                rank=score_of[mid],
            )
        )
    return hits


def _attachment_hits(conn: sqlite3.Connection, terms: list[str], limit: int) -> list[SearchHit]:
    """Messages whose attached files' names or document text hold every term."""
    where, values, rank = _conditions(terms, "attachment_fts", ("names", "text"))
    rows = conn.execute(
        f"SELECT m.id, m.conversation_id, c.title, f.names, f.text, {rank} AS score"
        " FROM attachment_fts f CROSS JOIN messages m ON m.id = f.rowid"
        " JOIN conversations c ON c.id = m.conversation_id"
        f" WHERE {where} AND c.deleted_at IS NULL ORDER BY score, m.id DESC LIMIT ?",
        (*values, limit),
    ).fetchall()
    hits = []
    for mid, cid, title, names, text, score in rows:
        if _matches(names, terms) or not _matches(text, terms):
            shown = ", ".join(names.splitlines())
        else:
            shown = text
        hits.append(
            SearchHit(
                conversation_id=cid,
                message_id=mid,
                title=title,
                snippet=snippet(shown, terms),
                rank=float(score),
            )
        )
    return hits


def _newest_scored(
    conn: sqlite3.Connection, match: str, terms: list[str], wanted: int
) -> list[tuple[int, float]]:
    """The ``wanted`` best (message id, score) among the newest matches of a common query.

    bm25 first counts, for every term, all the messages that hold it, and then
    scores every match, as does the LIKE of short terms: four common words
    match half of all messages, and that took 300 ms. A query that common says
    little about which message is wanted, so only the newest ``_RANK_WINDOW``
    matches are scored, here, the way bm25 scores them (term counts against
    the message's length; every candidate holds every term, so bm25's rarity
    weight is left out). Older windows are read only while too few messages
    hold the short terms too.
    """
    folded = [t.casefold() for t in terms]
    short = [t for t in folded if len(t) < _TRIGRAM]
    counted = [t for t in folded if len(t) >= _TRIGRAM]
    found: list[tuple[int, str, str]] = []
    upper: int | None = None
    while len(found) < wanted:
        below = "" if upper is None else " AND rowid < ?"
        rows = conn.execute(
            f"SELECT rowid, content, reasoning FROM message_fts WHERE message_fts MATCH ?{below}"
            " ORDER BY rowid DESC LIMIT ?",
            (match, *(() if upper is None else (upper,)), _RANK_WINDOW),
        ).fetchall()
        for rowid, content, reasoning in rows:
            text, thought = content.casefold(), reasoning.casefold()
            if all(t in text or t in thought for t in short):
                found.append((int(rowid), text, thought))
        if len(rows) < _RANK_WINDOW:
            break
        upper = int(rows[-1][0])
    if not found:
        return []
    average = sum(len(text) for _, text, _ in found) / len(found) or 1.0
    scored = [
        (
            rowid,
            -_bm25_like(text, counted, average)
            - (0.5 * _bm25_like(thought, counted, average) if thought else 0.0),
        )
        for rowid, text, thought in found
    ]
    scored.sort(key=lambda pair: (pair[1], -pair[0]))
    return scored[:wanted]


def _bm25_like(text: str, terms: list[str], average_length: float) -> float:
    """bm25's term-frequency part (k1 = 1.2, b = 0.75) for ``terms`` in ``text``."""
    norm = 1.2 * (0.25 + 0.75 * len(text) / average_length)
    total = 0.0
    for term in terms:
        count = text.count(term)
        total += count * 2.2 / (count + norm)
    return total
