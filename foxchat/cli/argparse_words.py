"""argparse's own words ("usage:", "options", its error messages) in the person's language.

The standard library's argparse already marks every word it prints for
gettext, but looks them up in gettext's default domain, for which no system
ships a catalogue, so they stay English. Pointing argparse's two lookup
functions at FoxChat's catalogue translates them; the messages below are
listed only so that extraction puts them in that catalogue (argparse's own
``%``-style fields are kept as argparse fills them).
"""

from __future__ import annotations

import argparse

from foxchat import i18n
from foxchat.i18n import _, ngettext


def speak_through_foxchat() -> None:
    """Make argparse look its words up in FoxChat's catalogue (the language installed)."""
    # argparse binds gettext's functions as module globals ``_`` and ``ngettext``
    # at import, and calls them each time it prints.
    vars(argparse).update(_=i18n._, ngettext=i18n.ngettext)


def argparse_messages() -> list[str]:
    """The argparse messages a person can see, as FoxChat's catalogue translates them."""
    return [
        _("usage: "),
        _("positional arguments"),
        _("options"),
        _("show this help message and exit"),
        _("%(prog)s: error: %(message)s\n"),
        _("argument %(argument_name)s: %(message)s"),
        _("unrecognized arguments: %s"),
        _("the following arguments are required: %s"),
        _("one of the arguments %s is required"),
        _("not allowed with argument %s"),
        _("ignored explicit argument %r"),
        _("expected one argument"),
        _("expected at most one argument"),
        _("expected at least one argument"),
        ngettext("expected %s argument", "expected %s arguments", 2),
        _("ambiguous option: %(option)s could match %(matches)s"),
        _("unexpected option string: %s"),
        _("invalid %(type)s value: %(value)r"),
        _("invalid choice: %(value)r (choose from %(choices)s)"),
        _("unknown parser %(parser_name)r (choices: %(choices)s)"),
    ]
