"""The main window: sidebar of algorithms, the active panel, narration, player bar.

Keys live on window-level actions. Text inputs claim the keys they use
(Qt's ShortcutOverride), so Space, arrows, Home/End and +/- never fire while
the user types in a box. Only :class:`~visualizer.player.PlaybackModel`
changes the step; the narration and the player bar listen to it.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from visualizer.lesson import Lesson, LessonError, load_lesson, save_lesson
from visualizer.panels import PANELS, PanelSpec, find_panel
from visualizer.panels.base import Panel
from visualizer.player import PlayerBar
from visualizer.pseudocode_pane import PseudocodePane
from visualizer.quiz_mode import install_predict
from visualizer.settings import SettingsStore, config_dir
from visualizer.shortcuts import ShortcutOverlay
from visualizer.theme import Palette, palette_for, widget_palette

__all__ = ["MainWindow", "NarrationPane", "preview_panel", "create_application"]


class NarrationPane(QFrame):
    """The current step in words: a heading (phase) and the instantiated formula."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Plain text: as rich text "P(I | <s>)" showed a struck-through "I) = C(" and no "<s>".
        for label in (self.heading, self.text):
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        self.set_large(False)

    def set_large(self, large: bool) -> None:
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(15 if large else 10)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        text_font = QFont("DejaVu Sans Mono")
        text_font.setStyleHint(QFont.StyleHint.Monospace)
        text_font.setPointSizeF(22 if large else 13)
        self.text.setFont(text_font)
        # A fixed height (three lines) keeps the layout still while scrubbing: a pane
        # that grew from one line to two resized the view and repainted the window.
        lines = self.text.fontMetrics().lineSpacing() * 3
        self.text.setFixedHeight(lines)
        self.heading.setFixedHeight(self.heading.fontMetrics().lineSpacing() + 2)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def show_text(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.text.setText(text)


class MainWindow(QMainWindow):
    """Trellis's window. ``settings`` defaults to the user's settings file."""

    def __init__(self, settings: SettingsStore | None = None, *, defer_first_panel: bool = False) -> None:
        """``defer_first_panel``: show the window first and open the panel on the next event-loop turn.

        The program does this so the window paints before numpy and the panel's engine are
        imported (about 0.1 s sooner); until the panel is there, the window's actions are off.
        """
        super().__init__()
        self.setWindowTitle("Trellis — classic NLP algorithms, step by step")
        self.settings = settings or SettingsStore()
        self.saved = self.settings.load()
        self.theme_choice = self.saved.get("theme", "system")
        if self.theme_choice not in ("system", "light", "dark"):
            self.theme_choice = "system"
        self.palette_roles: Palette = palette_for(self.theme_choice)
        self.panels: dict[str, Panel] = {}
        self.current_panel: Panel | None = None
        self._presentation = False
        self._system_palette = QApplication.palette()
        if self.theme_choice != "system":
            self.set_theme(self.theme_choice)

        self.sidebar = self._build_sidebar()
        self.stack = QStackedWidget()
        self.narration = NarrationPane()
        self.pseudocode = PseudocodePane(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.pseudocode)
        self.pseudocode.hide()
        self._pseudocode_before_presentation = False
        self.player = PlayerBar()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(4)
        right_layout.addWidget(self.stack, 1)
        right_layout.addWidget(self.narration)
        right_layout.addWidget(self.player)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 1100])
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self.resize(1320, 860)
        self._restore_layout()
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _: self._apply_theme())

        if defer_first_panel:
            self._waiting_actions = [action for action in self.findChildren(QAction) if action.isEnabled()]
            for action in self._waiting_actions:
                action.setEnabled(False)
            self.stack.setEnabled(False)
            self.narration.show_text("Opening…", "")
            # After the window's first paint, not before: a zero timer fires before the paint.
            self._opener = _AfterFirstPaint(self.open_first_panel)
            self.installEventFilter(self._opener)
        else:
            self.open_first_panel()

    def open_first_panel(self) -> None:
        """Open the panel the user had last (or the first one), and turn the window's actions on."""
        if self.current_panel is not None:
            return
        first = self.saved.get("panel", PANELS[0].name)
        try:
            find_panel(first)
        except ValueError:
            first = PANELS[0].name
        self.show_panel(first)
        for action in getattr(self, "_waiting_actions", ()):
            action.setEnabled(True)
        self.stack.setEnabled(True)
        if self.settings.problem:
            self.statusBar().showMessage(self.settings.problem, 15000)

    # -- construction ------------------------------------------------------------------
    def _build_sidebar(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setHeaderHidden(True)
        tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # arrows belong to the player
        groups: dict[str, QTreeWidgetItem] = {}
        for spec in PANELS:
            group = groups.get(spec.group)
            if group is None:
                group = QTreeWidgetItem(tree, [spec.group])
                group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                groups[spec.group] = group
            item = QTreeWidgetItem(group, [spec.title])
            item.setData(0, Qt.ItemDataRole.UserRole, spec.name)
            item.setToolTip(0, f"{spec.summary}  ({spec.shortcut})")
        tree.expandAll()
        tree.itemClicked.connect(self._sidebar_clicked)
        tree.setMinimumWidth(170)
        return tree

    def _action(self, text: str, slot: Any, shortcuts: list[str] | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)  # so keys work in presentation mode, with menus hidden
        return action

    def _build_actions(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self._action("&Open lesson…", self._open_lesson_dialog, ["Ctrl+O"]))
        file_menu.addAction(self._action("&Save lesson…", self._save_lesson_dialog, ["Ctrl+S"]))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Export view…", self._export_dialog, ["Ctrl+E"]))
        file_menu.addAction(self._action("&Copy view as image", self.copy_view, ["Ctrl+C"]))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, ["Ctrl+Q"]))

        view_menu = menus.addMenu("&View")
        view_menu.addAction(
            self._action("Zoom &in", lambda: self._view_call("zoom_in"), ["Ctrl+=", "Ctrl++"])
        )
        view_menu.addAction(self._action("Zoom &out", lambda: self._view_call("zoom_out"), ["Ctrl+-"]))
        view_menu.addAction(self._action("&Reset zoom", lambda: self._view_call("reset_zoom"), ["Ctrl+0"]))
        view_menu.addAction(self._action("&Fit to window", self._fit_view, ["Ctrl+9"]))
        self.fold_editors_action = self._action("Fold the big &editors", self._fold_editors, ["Ctrl+Shift+E"])
        self.fold_editors_action.setCheckable(True)
        view_menu.addAction(self.fold_editors_action)
        self.pseudocode_action = self._action(
            "&Pseudocode beside the figure", self._toggle_pseudocode, ["Ctrl+Shift+P"]
        )
        self.pseudocode_action.setCheckable(True)
        view_menu.addAction(self.pseudocode_action)
        view_menu.addAction(self._action("Co&mpare variants…", self._compare_dialog, ["Ctrl+Shift+C"]))
        view_menu.addAction(self._action("Ne&xt sheet", lambda: self._next_sheet(1), ["Ctrl+PgDown"]))
        view_menu.addAction(self._action("Pre&vious sheet", lambda: self._next_sheet(-1), ["Ctrl+PgUp"]))
        view_menu.addSeparator()
        self.presentation_action = self._action("&Presentation mode", self.toggle_presentation, ["F11"])
        self.presentation_action.setCheckable(True)
        view_menu.addAction(self.presentation_action)
        self._action("Leave presentation mode", self._leave_presentation, ["Esc"])
        theme_menu = view_menu.addMenu("&Theme")
        group = QActionGroup(self)
        for choice in ("system", "light", "dark"):
            action = QAction(choice.capitalize(), self, checkable=True)
            action.setChecked(choice == self.theme_choice)
            action.triggered.connect(lambda _=False, c=choice: self.set_theme(c))
            group.addAction(action)
            theme_menu.addAction(action)

        play_menu = menus.addMenu("&Playback")
        model_call = self._model_call
        for text, method, keys in (
            ("&Play / pause", "toggle_play", ["Space"]),
            ("Step &forward", "step_forward", ["Right"]),
            ("Step &back", "step_back", ["Left"]),
            ("Forward one &group", "group_forward", ["Shift+Right"]),
            ("Back one g&roup", "group_back", ["Shift+Left"]),
            ("Jump to &start", "to_start", ["Home"]),
            ("Jump to &end", "to_end", ["End"]),
            ("Fas&ter", "faster", ["+", "="]),
            ("S&lower", "slower", ["-"]),
        ):
            play_menu.addAction(self._action(text, lambda _=False, m=method: model_call(m), keys))
        self.quiz = install_predict(self, play_menu)

        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, ["?", "F1"]))
        help_menu.addAction(self._action("&About Trellis", self._about))
        for spec in PANELS:
            self._action(spec.title, lambda _=False, n=spec.name: self.show_panel(n), [spec.shortcut])

    # -- panels ----------------------------------------------------------------------------
    def _sidebar_clicked(self, item: QTreeWidgetItem) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            self.show_panel(name)

    def panel(self, name: str) -> Panel:
        """The panel called ``name``, created (and its module imported) on first use."""
        if name not in self.panels:
            spec: PanelSpec = find_panel(name)
            panel_class = spec.load()
            saved = self.saved.get("inputs")
            saved_inputs = saved.get(name) if isinstance(saved, dict) else None
            try:
                panel = panel_class(self.palette_roles, inputs=saved_inputs)
            except ValueError as problem:
                # Saved inputs this version refuses: start from the built-in example, and say so.
                panel = panel_class(self.palette_roles)
                self.settings.set_aside(f"held {spec.title} inputs that were refused ({problem})")
                self.statusBar().showMessage(self.settings.problem, 15000)
            panel.set_presentation(self._presentation)
            if hasattr(panel, "open_panel"):  # "Open in edit distance" and the like
                panel.open_panel.connect(self.open_with_inputs)
            self.panels[name] = panel
            self.stack.addWidget(panel)
        return self.panels[name]

    def open_with_inputs(self, name: str, inputs: dict) -> None:
        """Show panel ``name`` computing ``inputs`` (what one panel asks of another)."""
        panel = self.show_panel(name)
        panel.set_inputs({**panel.inputs(), **inputs})

    def show_panel(self, name: str) -> Panel:
        panel = self.panel(name)
        if self.current_panel is not None:
            self.current_panel.model.pause()
            self.current_panel.model.step_changed.disconnect(self._narrate)
        self.current_panel = panel
        self.quiz.attach(panel)
        self.stack.setCurrentWidget(panel)
        self.player.set_model(panel.model)
        panel.model.step_changed.connect(self._narrate)
        self._narrate(panel.model.current_step)
        self._select_in_sidebar(name)
        # Focus the picture, not the first text box: the first Space press should play.
        panel.view.setFocus()
        return panel

    def _select_in_sidebar(self, name: str) -> None:
        for group_index in range(self.sidebar.topLevelItemCount()):
            group = self.sidebar.topLevelItem(group_index)
            for child_index in range(group.childCount()):
                child = group.child(child_index)
                if child.data(0, Qt.ItemDataRole.UserRole) == name:
                    self.sidebar.setCurrentItem(child)

    def _narrate(self, step: int) -> None:
        if self.current_panel is not None:
            self.narration.show_text(*self.current_panel.narration(step))
            if self.pseudocode.isVisible():
                self.pseudocode.show_step(self.current_panel.stepwise(), step)

    def _toggle_pseudocode(self) -> None:
        """Show or hide the pseudocode pane (in presentation mode too, when asked there)."""
        if not self.pseudocode_action.isChecked():
            self.pseudocode.hide()
            return
        # Beside the figure, up to a third of the window wide (lines wrap), where the panel's form leaves
        # room; below it otherwise (HMM, vectors): the window keeps its size either way.
        panel, width = self.current_panel, self.width()
        spare = width - self.sidebar.width() - (panel.minimumSizeHint().width() if panel else 0) - 24
        beside = spare >= 260
        area = Qt.DockWidgetArea.RightDockWidgetArea if beside else Qt.DockWidgetArea.BottomDockWidgetArea
        self.addDockWidget(area, self.pseudocode)
        self.pseudocode.setMinimumWidth(260 if beside else 0)
        self.pseudocode.set_beside(beside)
        self.pseudocode.show()
        if beside:
            self.resizeDocks([self.pseudocode], [min(width // 3, spare)], Qt.Orientation.Horizontal)
        else:
            self.resizeDocks([self.pseudocode], [220], Qt.Orientation.Vertical)
        self.resize(width, self.height())
        if panel is not None:
            self.pseudocode.show_step(panel.stepwise(), panel.model.current_step)

    def _compare_dialog(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from visualizer.compare_window import SUGGESTED

        panel = self.current_panel
        if panel is None:
            return
        text, ok = QInputDialog.getText(
            self, "Compare variants", "One input and two or three values (OPTION=V1,V2[,V3]):",
            text=SUGGESTED.get(panel.name, ""),
        )  # fmt: skip
        if ok:
            self.statusBar().showMessage(self.open_compare(text), 8000)

    def open_compare(self, comparison: str) -> str:
        """Open the shown panel's variants side by side; returns "" or one sentence why not."""
        from visualizer.compare_window import CompareWindow

        if self.current_panel is None:
            return "Open a panel first."
        try:
            window = CompareWindow(self.current_panel, comparison, self)
        except ValueError as problem:
            return str(problem)
        self.compare_windows = [w for w in getattr(self, "compare_windows", []) if w.isVisible()] + [window]
        window.show()
        return ""

    def _model_call(self, method: str) -> None:
        if self.current_panel is not None:
            getattr(self.current_panel.model, method)()

    def _fit_view(self) -> None:
        if self.current_panel is not None:
            self.current_panel.fit_view()

    def _next_sheet(self, direction: int) -> None:
        """Show the panel's next (or previous) sheet, wrapping around; nothing if it has none."""
        panel = self.current_panel
        if panel is None or len(panel.sheets.names) < 2:
            return
        names = panel.sheets.names
        panel.sheets.show(names[(names.index(panel.sheets.current) + direction) % len(names)])

    def _fold_editors(self) -> None:
        """Fold (or unfold) every panel's multi-line editors: the figure gets the room."""
        folded = self.fold_editors_action.isChecked()
        for panel in self.panels.values():
            panel.fold_editors(folded)

    def _view_call(self, method: str) -> None:
        if self.current_panel is not None:
            getattr(self.current_panel.view, method)()

    # -- presentation and theme ----------------------------------------------------------------
    def toggle_presentation(self) -> None:
        self.set_presentation(not self._presentation)

    def _leave_presentation(self) -> None:
        if self._presentation:
            self.set_presentation(False)

    def set_presentation(self, on: bool) -> None:
        """Full screen, editors and sidebar hidden, large narration and zoomed view."""
        if on == self._presentation:
            return
        self._presentation = on
        self.presentation_action.setChecked(on)
        self.sidebar.setVisible(not on)
        self.menuBar().setVisible(not on)
        self.narration.set_large(on)
        self.quiz.large = on
        # The projector's width is the figure's: the pseudocode hides unless asked for there (Ctrl+Shift+P).
        self.pseudocode.set_large(on)
        if on:
            self._pseudocode_before_presentation = self.pseudocode.isVisible()
            self.pseudocode.hide()
        else:
            self.pseudocode.setVisible(self._pseudocode_before_presentation)
        self.pseudocode_action.setChecked(self.pseudocode.isVisible())
        for panel in self.panels.values():
            panel.set_presentation(on)
        # Each panel's view fits its figure again for the new size (no zoom factor piled on top).
        if on:
            self.showFullScreen()
            self.statusBar().showMessage("Presentation mode: F11 or Esc to leave, ? for keys.", 4000)
        else:
            self.showNormal()

    @property
    def presentation(self) -> bool:
        return self._presentation

    def set_theme(self, choice: str) -> None:
        """``"system"``, ``"light"`` or ``"dark"``; widgets follow where the platform allows."""
        self.theme_choice = choice
        hints = QGuiApplication.styleHints()
        # Qt 6.8+ can restyle the widgets too; elsewhere only the figures change.
        if choice == "system" and hasattr(hints, "unsetColorScheme"):
            hints.unsetColorScheme()
        elif hasattr(hints, "setColorScheme"):
            hints.setColorScheme(Qt.ColorScheme.Dark if choice == "dark" else Qt.ColorScheme.Light)
        app = QApplication.instance()
        if app is not None:
            # Some platforms ignore the requested scheme; set the widget colours as well.
            if choice == "system":
                app.setPalette(self._system_palette)
            else:
                app.setPalette(widget_palette(palette_for(choice)))
        self._apply_theme()

    def _apply_theme(self) -> None:
        self.palette_roles = palette_for(self.theme_choice)
        for panel in self.panels.values():
            panel.apply_palette(self.palette_roles)

    def report_problem(self, sentence: str) -> None:
        """Show one sentence about something that went wrong, where the user is looking."""
        self.statusBar().setStyleSheet(f"color: {self.palette_roles.error}; font-weight: bold;")
        self.statusBar().showMessage(sentence, 20000)
        # The window is the timer's context: closed and deleted first, the reset is simply dropped.
        QTimer.singleShot(20000, self, lambda: self.statusBar().setStyleSheet(""))

    # -- lessons ------------------------------------------------------------------------------------
    def current_lesson(self) -> Lesson:
        panel = self.current_panel
        assert panel is not None
        # What is drawn, not what the form may hold: a refused input typed there would make a lesson
        # that cannot be reopened.
        inputs = panel.shown_inputs if panel.shown_inputs is not None else panel.inputs()
        quiz = {"predict": self.quiz.on, "ask": self.quiz.ask_mode} if self.quiz.on else {}
        return Lesson(panel.name, inputs, panel.model.current_step, {"zoom": panel.view.zoom}, quiz)

    def save_lesson_to(self, path: str) -> str:
        """Save the current panel, inputs and step; returns "" or the problem."""
        try:
            save_lesson(path, self.current_lesson())
        except OSError as problem:
            return f"The lesson could not be saved: {problem.strerror or problem}."
        self.statusBar().showMessage(f"Saved lesson {Path(path).name}.", 5000)
        return ""

    def open_lesson_from(self, path: str) -> str:
        """Open a lesson file; returns "" or one sentence saying why it was refused."""
        try:
            lesson = load_lesson(path)
            find_panel(lesson.panel)
        except (LessonError, ValueError) as problem:
            return str(problem)
        panel = self.panel(lesson.panel)
        step_before = panel.model.current_step
        try:
            panel.set_inputs(lesson.inputs)  # all or nothing: refused, the panel keeps what it had
        except ValueError as problem:
            panel.model.set_step(step_before)
            return f"{Path(path).name} has inputs this panel refuses: {problem}"
        self.show_panel(lesson.panel)
        self.quiz.toggle_action.setChecked(False)  # type: ignore[attr-defined]
        panel.model.set_step(lesson.step)
        if lesson.quiz:
            self.quiz.apply_settings(lesson.quiz.get("ask", "every"), bool(lesson.quiz.get("predict")))
        if "zoom" in lesson.view:  # a zoom the lesson's author picked by hand
            panel.view.auto_fit = False
            panel.view.set_zoom(float(lesson.view["zoom"]))
        note = ""
        if lesson.step > panel.model.nsteps:
            note = f" (its step {lesson.step} is past the end; showing step {panel.model.nsteps})"
        self.statusBar().showMessage(f"Opened lesson {Path(path).name}{note}.", 6000)
        return ""

    def _open_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open lesson", "", "Trellis lessons (*.trellis.json *.json)"
        )
        if path:
            problem = self.open_lesson_from(path)
            if problem:
                QMessageBox.warning(self, "Lesson not opened", problem)

    def _save_lesson_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save lesson", "lesson.trellis.json", "Trellis lessons (*.json)"
        )
        if path:
            problem = self.save_lesson_to(path)
            if problem:
                QMessageBox.warning(self, "Lesson not saved", problem)

    # -- export --------------------------------------------------------------------------------------
    def export_to(
        self,
        path: str,
        fmt: str,
        scale: float = 1.0,
        region: str = "whole",
        steps: str | None = None,
        frame_ms: int = 250,
        caption: bool = True,
        part: str | None = None,
    ) -> str:
        """Export the current view; returns a note for the user, or raises ExportError/OSError.

        The window stays live: frames are drawn between turns of the event loop and the
        file is encoded in a worker, behind a progress dialog whose Cancel raises
        InterruptedError (nothing is written then, and the step shown is kept).
        """
        from visualizer.background import run_in_background
        from visualizer.export import plan_export

        panel = self.current_panel
        assert panel is not None
        panel.model.pause()  # the player must not move the step under the frames being drawn
        # What the window shows: with the pseudocode pane open, the export's band carries it too.
        panel.export_pseudocode = self.pseudocode.isVisible()
        job = plan_export(panel, path, fmt, scale, region, steps, frame_ms, caption, part)
        panel.busy = True  # a pending recompute waits until the export has finished
        try:
            note: str = run_in_background(
                self, job.label, job.finish, prepare=job.prepare(), prepare_share=job.drawing_share
            )
        finally:
            panel.busy = False
        return note

    def _export_dialog(self) -> None:
        from visualizer.export import ExportError
        from visualizer.export_dialog import ExportDialog

        panel = self.current_panel
        if panel is None:
            return
        dialog = ExportDialog(panel.model.current_step, panel.model.nsteps, self, tuple(panel.parts()))
        if not dialog.exec():
            return
        fmt = dialog.format
        suggested = f"{panel.name}-step{panel.model.current_step}.{fmt}"
        path, _ = QFileDialog.getSaveFileName(self, "Export view", suggested, f"{fmt.upper()} (*.{fmt})")
        if not path:
            return
        region, part = dialog.region_and_part
        try:
            note = self.export_to(
                path,
                fmt,
                dialog.scale,
                region,
                dialog.steps.text() if fmt == "gif" else None,
                dialog.frame_ms.currentData(),
                dialog.caption.isChecked(),
                part,
            )
        except InterruptedError:
            self.statusBar().showMessage("Export cancelled; nothing was written.", 6000)
            return
        except (ExportError, OSError) as problem:
            QMessageBox.warning(self, "Export failed", str(problem))
            return
        self.statusBar().showMessage(note or f"Exported {Path(path).name}.", 6000)

    def copy_view(self) -> None:
        """Put the figure and its caption on the clipboard at 2x, drawn in bands so the window stays live."""
        from visualizer.background import run_in_background
        from visualizer.caption_band import caption_for
        from visualizer.export import MAX_IMAGE_SIDE, BandedImage

        panel = self.current_panel
        if panel is None:
            return
        band = caption_for(panel, panel.model.current_step)  # a pasted slide says what the step does
        drawing = BandedImage(panel.scene, panel.export_rect(), 2.0, MAX_IMAGE_SIDE, band)
        try:
            run_in_background(
                self,
                "Copying the view…",
                lambda progress, cancelled: None,
                prepare=drawing.bands(),
                prepare_share=1.0,
            )
        except InterruptedError:
            self.statusBar().showMessage("Copy cancelled.", 4000)
            return
        QGuiApplication.clipboard().setImage(drawing.rendered.image)
        self.statusBar().showMessage("Copied the view to the clipboard (2× image).", 4000)

    # -- help ------------------------------------------------------------------------------------------
    def show_shortcuts(self) -> ShortcutOverlay:
        overlay = ShortcutOverlay(self)
        overlay.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        overlay.show()
        return overlay

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About Trellis",
            "Trellis animates classic NLP algorithms step by step (Jurafsky & Martin, SLP3).\n"
            "Every step is narrated with its formula; every view exports to PNG, SVG, PDF and GIF.",
        )

    # -- settings -----------------------------------------------------------------------------------------
    def _restore_layout(self) -> None:
        geometry = self.saved.get("geometry")
        if isinstance(geometry, str):
            self.restoreGeometry(QByteArray.fromHex(geometry.encode("ascii", "ignore")))
        sizes = self.saved.get("splitter")
        if isinstance(sizes, list) and len(sizes) == 2 and all(isinstance(s, int) and s >= 0 for s in sizes):
            self.splitter.setSizes(sizes)

    def settings_snapshot(self) -> dict[str, Any]:
        inputs = dict(self.saved.get("inputs", {})) if isinstance(self.saved.get("inputs"), dict) else {}
        for name, panel in self.panels.items():
            inputs[name] = panel.shown_inputs if panel.shown_inputs is not None else panel.inputs()
        return {
            "version": 1,
            "theme": self.theme_choice,
            "panel": self.current_panel.name if self.current_panel else PANELS[0].name,
            "inputs": inputs,
            "geometry": bytes(self.saveGeometry().toHex()).decode("ascii"),
            "splitter": self.splitter.sizes(),
        }

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._presentation:
            self.set_presentation(False)
        try:
            self.settings.save(self.settings_snapshot())
        except OSError as problem:
            print(f"trellis: settings not saved: {problem}", file=sys.stderr)
        super().closeEvent(event)


class _AfterFirstPaint(QObject):
    """Calls ``then`` once, on the event-loop turn after the watched widget's first paint."""

    def __init__(self, then: Any) -> None:
        super().__init__()
        self._then = then
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            QTimer.singleShot(0, self._then)
        return False


class _FirstPaint(QObject):
    """Quits the application right after a first paint (start-up timing).

    ``until="window"`` quits after the window's first paint; ``"panel"`` waits until
    the first panel is open and its picture has painted too.
    """

    def __init__(self, app: QApplication, window: MainWindow, until: str) -> None:
        super().__init__()
        self._app = app
        self._window = window
        self._until = until
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        ready = self._until == "window" or self._window.current_panel is not None
        if event.type() == QEvent.Type.Paint and not self._done and ready:
            self._done = True
            # The wall-clock time of the paint, for benchmarks/bench_startup.py: quitting
            # (which saves the settings) must not count as start-up.
            print(f"first paint at {time.time():.6f}", flush=True)
            QTimer.singleShot(0, self._app.quit)
        return False


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("Trellis")
    app.setOrganizationName("Trellis")
    return app  # type: ignore[return-value]


def install_exception_hook(window: MainWindow, log_path: Path | None = None) -> Path:
    """Route every uncaught exception (Qt slots, timers, worker threads) to the log and the window.

    A slot's exception would otherwise only reach stderr, which a desktop user never sees: the
    action silently did nothing. Now the status bar says so in one sentence and names the log.
    """
    path = log_path or config_dir() / "trellis.log"
    log = logging.getLogger("trellis")
    if not any(isinstance(h, logging.FileHandler) for h in log.handlers):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8", delay=True)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(handler)
        except OSError:
            pass  # no log file then; the sentence still reaches the window

    def report(kind: type[BaseException], value: BaseException, trace: Any) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        log.error("uncaught %s", kind.__name__, exc_info=(kind, value, trace))
        sentence = (
            f"Something went wrong ({kind.__name__}); Trellis is still running, "
            f"and the details were written to {path}."
        )
        # A worker thread must not touch widgets: hand the sentence to the GUI thread.
        QTimer.singleShot(0, window, lambda: window.report_problem(sentence))

    sys.excepthook = report
    threading.excepthook = lambda hook: report(
        hook.exc_type, hook.exc_value or hook.exc_type(), hook.exc_traceback
    )
    return path


def run_gui(exit_after_first_paint: str | None = None) -> int:
    """The window, until it is closed; ``exit_after_first_paint`` ("window" or "panel") times start-up."""
    app = create_application()
    window = MainWindow(defer_first_panel=True)
    install_exception_hook(window)
    watcher = _FirstPaint(app, window, exit_after_first_paint or "panel")
    if exit_after_first_paint:
        window.installEventFilter(watcher)
        # Paint events of the panel's picture reach its viewport, not the window.
        QTimer.singleShot(0, lambda: _watch_panel(window, watcher))
        QTimer.singleShot(20000, lambda: app.exit(1))  # never hang a start-up measurement
    window.show()
    return app.exec()


def _watch_panel(window: MainWindow, watcher: _FirstPaint) -> None:
    if window.current_panel is None:
        QTimer.singleShot(0, lambda: _watch_panel(window, watcher))
        return
    window.current_panel.view.viewport().installEventFilter(watcher)
    window.current_panel.view.viewport().update()


def preview_panel(panel_class: type[Panel]) -> None:
    """Show one panel on its own with a player bar (``python -m visualizer.panels.NAME``)."""
    app = create_application()
    host = QWidget()
    panel = panel_class()
    narration = NarrationPane()
    bar = PlayerBar()
    bar.set_model(panel.model)
    panel.model.step_changed.connect(lambda step: narration.show_text(*panel.narration(step)))
    narration.show_text(*panel.narration(panel.model.current_step))
    layout = QVBoxLayout(host)
    layout.addWidget(panel, 1)
    layout.addWidget(narration)
    layout.addWidget(bar)
    host.resize(1200, 800)
    host.show()
    sys.exit(app.exec())
