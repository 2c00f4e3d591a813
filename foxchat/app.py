"""Composition root: builds every service and widget and wires them together.

Nothing else constructs services or reaches across layers; everything gets
its dependencies here, in its constructor. The GUI runs under a qasync event
loop so httpx's sockets and Qt's events share one thread.

The first frame needs no event loop of asyncio's: ``run_gui`` builds and
shows the window, lets Qt's own loop draw it, and only then imports asyncio
and qasync (about 15 ms) and starts the loop the rest of the run uses.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncGenerator
from contextlib import suppress
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from foxchat import APP_NAME, __version__
from foxchat.api.errors import ParameterError
from foxchat.api.params import GenerationParams
from foxchat.i18n import _
from foxchat.logs import setup_logging
from foxchat.paths import data_dir, database_path
from foxchat.resources import app_icon
from foxchat.secrets import KeyStore
from foxchat.services import first_frame
from foxchat.services.account import AccountService
from foxchat.services.attachments import AttachmentService
from foxchat.services.chat_session import ChatService
from foxchat.services.connection import ConnectionService
from foxchat.services.conversation_list import ConversationListModel, SearchResultsModel
from foxchat.services.conversations import ConversationService
from foxchat.services.endpoint import ClientFactory, EndpointService, make_client
from foxchat.services.settings_service import SettingsService
from foxchat.services.tasks import LoopGate
from foxchat.services.titles import TitleService
from foxchat.settings import Settings, load_settings
from foxchat.startup_probe import install_probe
from foxchat.store import Store, StoreCorruptError, StoreError
from foxchat.ui.first_paint import call_after_first_paint, wait_for_first_paint
from foxchat.ui.main_window import MainWindow
from foxchat.ui.theme import apply_theme

if TYPE_CHECKING:
    import asyncio

    from PySide6.QtWidgets import QMessageBox

    from foxchat.presets import PresetStore
    from foxchat.ui.welcome_dialog import WelcomeDialog

# Dialogs are imported when first opened: the first window should not wait
# for code most starts never run.

log = logging.getLogger(__name__)

#: Quitting while replies stream must finish within a second.
SHUTDOWN_GRACE = 0.5

#: Shown after "Use as default for new chats".
DEFAULTS_SAVED = _("New chats will start with these settings.")


class FoxChatApp:
    """Builds the services and the window for one run of the GUI, wires them, runs them.

    What the app knows lives in services: the settings in ``prefs``
    (``SettingsService``), the key and the model list in ``connection``
    (``ConnectionService``). What is left here is construction, wiring, the
    dialogs' entry points and the start and quit sequence.
    """

    def __init__(
        self,
        qt_app: QApplication,
        store: Store,
        settings: Settings,
        *,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.qt_app = qt_app
        # Quitting is ours: save first, then close. Qt's own quit-on-close
        # would stop the event loop under the saving.
        qt_app.setQuitOnLastWindowClosed(False)
        self.store = store
        self.dark = apply_theme(qt_app, settings.theme, settings.font_size)
        self.key_store = KeyStore()
        # Every service hangs off one root, so shutdown deletes them all
        # before the QApplication goes (PySide6 crashes on stragglers).
        self.root = QObject()
        self.prefs = SettingsService(settings, parent=self.root)
        if client_factory is None:
            client_factory = partial(make_client, proxy=self.prefs.proxy)
        # Work asked for in the first frame waits here until the loop runs.
        self.gate = LoopGate()
        self.endpoint = EndpointService(client_factory, parent=self.root, gate=self.gate)
        self.account = AccountService(
            self.key_store, client_factory, parent=self.root, gate=self.gate
        )
        self.connection = ConnectionService(
            self.prefs, self.account, self.endpoint, self.key_store, parent=self.root
        )
        self.chat = ChatService(
            store,
            self.endpoint.ready_client,
            context_limit=self.prefs.context_limit,
            image_detail=lambda: self.prefs.current.image_detail,
            parent=self.root,
            gate=self.gate,
            overrides=self.prefs,
        )
        self.conversations = ConversationService(store, parent=self.root)
        self.titles = TitleService(
            store, self.endpoint.client, self.prefs.auto_title, parent=self.root, gate=self.gate
        )
        self.list_model = ConversationListModel(store, parent=self.root)
        self.results_model = SearchResultsModel(store, parent=self.root)
        self._presets: PresetStore | None = None
        self.attachments = AttachmentService(
            store, max_side=lambda: self.prefs.current.image_max_side, parent=self.root
        )
        # The renderings the last run's first frame showed: with them all found, the
        # window is drawn without importing the Markdown stack (services.first_frame).
        self.render_cache = first_frame.load(data_dir())
        self.window = MainWindow(
            self.chat,
            self.conversations,
            self.list_model,
            self.results_model,
            self.new_chat_defaults,
            dark=self.dark,
            render_cache=self.render_cache,
            prices=lambda: self.prefs.current.model_prices,
            presets=lambda: self.presets,
            overrides_for=self.prefs.overrides_for,
            attachments=self.attachments,
            document_limit=lambda: self.prefs.current.document_char_limit,
            image_detail=lambda: self.prefs.current.image_detail,
        )
        self.welcome: WelcomeDialog | None = None
        # Quit may be asked for before the asyncio loop exists (see run_gui).
        self.quit_wanted = False
        self._quit_event: asyncio.Event | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        window, connection = self.window, self.connection
        window.quit_requested.connect(self._on_quit_requested)
        window.save_defaults_requested.connect(self._save_defaults)
        window.refresh_models_requested.connect(connection.refresh_models)
        window.settings_requested.connect(self.open_settings)
        window.curl_requested.connect(self.show_curl)
        window.model_chosen.connect(connection.remember_model)
        window.image_detail_chosen.connect(lambda detail: self.prefs.update(image_detail=detail))
        window.send_anyway_requested.connect(self.prefs.send_anyway)
        window.sidebar.sections_changed.connect(
            lambda states: self.prefs.update(parameter_sections=states)
        )
        window.compare_flow.columns_remembered.connect(
            lambda columns: self.prefs.update(compare_columns=columns)
        )
        self.chat.reply_finished.connect(self.titles.reply_finished)
        self.titles.titled.connect(window.on_titled)
        connection.models_listed.connect(self._offer_models)
        connection.key_needed.connect(self._show_welcome)
        connection.notice.connect(window.show_error)
        self.prefs.changed.connect(self._on_settings_changed)
        self.prefs.failed.connect(window.show_error)

    @property
    def presets(self) -> PresetStore:
        """The parameter presets, read when the parameters panel is first built."""
        if self._presets is None:
            from foxchat.presets import PresetStore

            self._presets = PresetStore()
        return self._presets

    @property
    def settings(self) -> Settings:
        """The settings in use (``prefs.current``)."""
        return self.prefs.current

    # -- start -----------------------------------------------------------------

    def start(self) -> None:
        """Show the window with the last chat (or a new one) and look for a key.

        For callers that have set up their asyncio loop already (tests,
        benchmarks); ``run_gui`` opens the gate itself once its loop runs.
        """
        import asyncio

        self.gate.open(asyncio.get_event_loop())
        self.show_window()
        call_after_first_paint(self.window, self.after_first_paint)

    def show_window(self) -> None:
        """Show the window with the last chat (or a new one); needs no asyncio loop."""
        install_probe(self.window)  # FOXCHAT_STARTUP_PROBE: benchmarks/startup.py
        s = self.settings
        self.window.sidebar.set_section_states(s.parameter_sections)
        self.window.compare_flow.remembered_columns = s.compare_columns
        self.window.restore_state(s.window_geometry, s.splitter_state, s.sidebar_visible)
        self.list_model.refresh()
        self.window.show()
        last = s.last_conversation_id
        if last is not None and self.conversations.get(last) is None:
            last = None
        last = last if last is not None else self.conversations.first_conversation()
        if last is None:
            self.window.new_conversation()
        else:
            # Someone with chats has sent a message: Enter needs no explaining.
            self.window.composer.hide_shortcut_hint()
            self.window.open_conversation(last)

    def after_first_paint(self) -> None:
        """Look for the key (then the client and the model list) and load the Markdown
        stack: not needed to draw, but the first reply or chat switch would wait for it."""
        self.connection.look_for_key()
        self.render_cache.forget_saved()
        first_frame.load_markdown_stack()

    def new_chat_defaults(self) -> tuple[str, GenerationParams, str]:
        """The model, parameters and system prompt a new chat starts with."""
        return (
            self.connection.model_for_new_chat(),
            GenerationParams.from_json(self.settings.default_params_json),
            "",
        )

    def _offer_models(self, model_ids: list[str]) -> None:
        self.window.set_models(model_ids)
        if not model_ids:
            return
        chosen = self.connection.model_for_new_chat()
        missing = self.window.move_empty_chat(model_ids, chosen)
        if missing is not None:
            self.connection.moved_from(missing, chosen)

    # -- dialogs ---------------------------------------------------------------

    def _show_welcome(self) -> None:
        from foxchat.dialog_flows import WelcomeFlow

        flow = WelcomeFlow(
            self.account,
            self.key_store,
            self.prefs.base_url(),
            self._on_welcome_key,
            self._on_quit_requested,
            self.window,
        )
        self.welcome = flow.dialog
        flow.open()

    def _on_welcome_key(self, base_url: str, key: str, session_only: bool) -> None:
        self.connection.accept_key(base_url, key, session_only)
        self.window.focus_composer()

    def open_settings(self) -> None:
        """The settings dialog, wired to the keyring and connection test."""
        from foxchat.dialog_flows import SettingsFlow

        SettingsFlow(
            self.account,
            self.key_store,
            self.settings,
            self.prefs.apply,
            self.connection.profile_key_changed,
            self.window,
        ).open()

    def show_curl(self, conversation_id: int, text: str) -> None:
        """The next request as curl; a bad parameter is explained instead."""
        try:
            # The files in the composer go with the text, as a send would take them.
            attachments = self.window.composer.attachments()
            request = self.chat.preview_request(conversation_id, text, attachments)
        except (ParameterError, StoreError) as exc:
            self.window.show_error(exc.user_message)
            return
        from foxchat.api.curl import to_curl
        from foxchat.ui.curl_dialog import CurlDialog

        base_url, key = self.prefs.base_url(), self.endpoint.api_key
        dialog = CurlDialog(
            lambda include: to_curl(request, base_url, key, include_key=include), self.window
        )
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # -- settings --------------------------------------------------------------

    def _on_settings_changed(self, new: Settings, old: Settings) -> None:
        self.window.update_usage()  # prices may have changed
        if new.model_overrides != old.model_overrides:
            self.window.sidebar.refresh_rules()
        if (new.theme, new.font_size) != (old.theme, old.font_size):
            self.dark = apply_theme(self.qt_app, new.theme, new.font_size)
            self.window.set_dark(self.dark)

    def _save_defaults(self, model: str, params: GenerationParams, system_prompt: str) -> None:
        self.prefs.save_defaults(model, params)
        self.window.statusBar().showMessage(DEFAULTS_SAVED, 5000)

    # -- quit ------------------------------------------------------------------

    def _on_quit_requested(self) -> None:
        self.quit_wanted = True
        if self._quit_event is not None:
            self._quit_event.set()

    async def wait_for_quit(self) -> None:
        """Return once the user has asked to quit (Ctrl+Q, closing the window)."""
        import asyncio

        if self._quit_event is None:
            self._quit_event = asyncio.Event()
        if self.quit_wanted:
            self._quit_event.set()
        await self._quit_event.wait()

    async def shutdown(self) -> None:
        """Save drafts, stop replies (keeping their text), remember the window."""
        import asyncio

        self.conversations.flush_drafts()
        with suppress(TimeoutError):
            await asyncio.wait_for(self.chat.shutdown(), SHUTDOWN_GRACE)
        await self.titles.shutdown()
        geometry, splitter = self.window.save_state()
        self.prefs.remember_window(
            geometry, splitter, self.window.sidebar_wanted(), self.window.current_id
        )
        self.account.shutdown()
        self.attachments.shutdown()
        # The replies on screen are what the next start shows first.
        texts = self.window.message_view.first_frame_texts()
        first_frame.save(data_dir(), self.render_cache, texts, dark=self.dark)
        with suppress(TimeoutError):
            await asyncio.wait_for(self.endpoint.aclose(grace=0.1), 0.2)
        self.window.allow_close()
        self.window.close()
        self.window.deleteLater()
        self.root.deleteLater()


def _message_box() -> type[QMessageBox]:
    """QMessageBox, loaded when a message is shown: building its Python type (its
    enums) would cost the first paint about a millisecond, and most starts show none."""
    from PySide6.QtWidgets import QMessageBox

    return QMessageBox


def open_store_or_explain(*, recover_streaming: bool = True) -> Store | None:
    """Open the database, telling the user plainly when it cannot be opened.

    A window that shares the data folder with another running FoxChat passes
    ``recover_streaming=False``: the other window may be streaming a reply.

    When it cannot be written (a full disk, a read-only folder) it is opened
    read-only, with a message saying so: the chats can still be read and exported.
    """
    path = database_path()
    try:
        store = Store.open(path, read_only_fallback=True, recover_streaming=recover_streaming)
        if store.read_only_reason is not None:
            _message_box().warning(None, APP_NAME, store.read_only_reason.user_message)
        return store
    except StoreCorruptError as exc:
        # The window goes on with a fresh list at once, so no "restart" here.
        _message_box().warning(
            None,
            APP_NAME,
            _(
                "{problem} FoxChat starts a fresh conversation list now; the damaged "
                "file may still be recoverable with SQLite tools."
            ).format(problem=exc.message),
        )
        try:
            return Store.open(path)  # the damaged file was moved aside: start afresh
        except StoreError as again:
            _message_box().critical(None, APP_NAME, again.user_message)
            return None
    except StoreError as exc:
        _message_box().critical(None, APP_NAME, exc.user_message)
        return None


def install_asyncgen_finalizer(loop: asyncio.AbstractEventLoop) -> None:
    """Close abandoned async generators on ``loop``, as asyncio's own loops do.

    qasync installs no async-generator hooks, so a generator dropped part way
    (an HTTP stream left early) would be finalised by the garbage collector
    outside any loop, leaving its cleanup undone.
    """

    def finalize(generator: AsyncGenerator[object, None]) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(loop.create_task, generator.aclose())

    sys.set_asyncgen_hooks(finalizer=finalize)


async def _serve(app: FoxChatApp) -> int:
    """The run after the first paint, on the asyncio loop: key, chats, quit."""
    import asyncio

    loop = asyncio.get_running_loop()
    install_asyncgen_finalizer(loop)
    # Sends, stops and refreshes made in the first frame start now, in order.
    app.gate.open(loop)
    app.after_first_paint()
    await app.wait_for_quit()
    await app.shutdown()
    return 0


def _log_unexpected(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    log.error("unexpected error", exc_info=(kind, error, trace))


def run_gui(*, debug: bool = False, settings_text: str | None = None) -> int:
    """Show the window, then run the app under a qasync event loop; returns the exit code.

    ``settings_text`` is settings.json as the command line read it for the
    language (None: read it here).
    """
    setup_logging(debug=debug)
    log.info("FoxChat %s starting", __version__)
    # A bug in a slot must not take the window (and unsaved text) down with it:
    # Qt would abort on an exception escaping into C++. Log it and carry on.
    sys.excepthook = _log_unexpected
    qt_app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(qt_app, QApplication)
    qt_app.setApplicationName(APP_NAME)
    qt_app.setApplicationVersion(__version__)
    qt_app.setDesktopFileName("foxchat")
    qt_app.setWindowIcon(app_icon())
    from foxchat import i18n
    from foxchat.ui.translations import install_qt_translations

    install_qt_translations(qt_app, i18n.current())
    from foxchat import single_instance
    from foxchat.paths import data_dir

    instance = single_instance.claim(data_dir())
    if instance is None:  # a running FoxChat came to the front instead
        print(single_instance.HANDED_OVER)
        return 0
    store = open_store_or_explain(recover_streaming=not instance.shared)
    if store is None:
        instance.close()
        return 1
    try:
        store.purge_deleted()
        app = FoxChatApp(qt_app, store, load_settings(text=settings_text))
        instance.activated.connect(lambda: single_instance.bring_to_front(app.window))
        app.show_window()
        if instance.shared:
            app.window.show_error(single_instance.SHARED_NOTICE)
        # Drawn by Qt's own loop: nothing in the first frame needs asyncio.
        wait_for_first_paint(app.window)
        # Collection was off while the first frame was built (see foxchat.cli): what
        # exists now nearly all lives for the run, so later collections need not walk
        # it again (measured: ~15% less CPU for a start and quit). The price: a cycle
        # among these objects that becomes garbage later is never freed; only objects
        # made before the first paint can be kept that way, so the cost is bounded.
        gc.freeze()
        gc.enable()
        instance.listen()
        import qasync

        result: int = qasync.run(_serve(app))
    finally:
        store.close()
        instance.close()
    return result
