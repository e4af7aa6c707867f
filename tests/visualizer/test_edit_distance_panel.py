"""The edit-distance panel: what it shows at a step, hover, backtrace, bad inputs."""

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage

from algorithms.edit_distance import MAX_TRACED_ITEMS
from visualizer.export import render_image


def pixel_at_cell(panel, cell, dx=0.32, dy=0.30, scale=1.0):
    """Colour of the rendered figure inside ``cell``, away from its number and border."""
    rect = panel.export_rect()
    grid = panel.grid
    cell_rect = grid.mapRectToScene(grid.cell_rect(cell))
    point = QPointF(cell_rect.right() - cell_rect.width() * dx, cell_rect.bottom() - cell_rect.height() * dy)
    image: QImage = render_image(panel.scene, rect, scale).image
    return QColor(image.pixel(int((point.x() - rect.left()) * scale), int((point.y() - rect.top()) * scale)))


def close(a: QColor, b: str, tolerance=12):
    b = QColor(b)
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_textbook_example_is_loaded_and_finished(panel):
    assert panel.result.distance == 8.0
    assert panel.model.current_step == panel.model.nsteps
    assert panel.source_edit.text() == "intention"
    assert panel.substitution_edit.text() == "2"
    assert panel.preset_box.currentText() == "SLP3 1/1/2"


def test_fill_step_marks_current_cell_candidates_and_winners(panel):
    result = panel.result
    step = int(result.filled_at[5, 2]) + 1  # D[5,2]: 'n' vs 'x'
    panel.model.set_step(step)
    marks = panel.grid.marks
    assert marks.outlines[(5, 2)] == "current"
    assert {cell for cell, role in marks.fills.items() if role == "candidate"} == {(4, 1), (4, 2), (5, 1)}
    assert sorted(b.text for b in marks.badges) == ["5", "5", "5"]
    assert not marks.filled[5, 3] and marks.filled[5, 2]
    palette = panel.palette_roles
    assert close(pixel_at_cell(panel, (5, 2)), palette.current_fill)
    assert close(pixel_at_cell(panel, (4, 2)), palette.candidate_fill)
    assert close(pixel_at_cell(panel, (6, 6)), palette.surface)  # not filled yet
    assert close(pixel_at_cell(panel, (1, 1)), palette.background)  # filled, not involved
    heading, text = panel.narration(step)
    assert heading.startswith("Filling row 5 of 9")
    assert text.startswith("D[5,2] = min(D[4,2]+1, D[5,1]+1, D[4,1]+2) = min(5, 5, 5) = 5")


def test_backtrace_paints_path_and_reveals_alignment(panel):
    result = panel.result
    table_steps = result.filled_at.size
    panel.model.set_step(table_steps + 3)
    marks = panel.grid.marks
    path_cells = {cell for cell, role in marks.fills.items() if role == "final_path"}
    assert path_cells == {(9, 9), (8, 8), (7, 7), (6, 6)}
    assert marks.outlines[(6, 6)] == "current"
    assert marks.row_header_role == {6: "current"} and marks.column_header_role == {6: "current"}
    assert panel._alignment._revealed == 3
    assert close(pixel_at_cell(panel, (8, 8)), panel.palette_roles.final_path_fill)
    panel.model.to_end()
    assert panel._alignment._revealed == len(result.alignment)
    assert panel._alignment._cost_line == "cost = d + s + s + i + s = 1 + 2 + 2 + 1 + 2 = 8"


def test_all_backpointers_toggle(panel, qtbot):
    assert panel.grid.marks.glyphs is None
    panel.backpointers_box.setChecked(True)
    assert panel.grid.marks.glyphs is not None
    assert panel.inputs()["show_backpointers"] is True


def test_hovering_a_filled_cell_highlights_where_it_came_from(window, panel, qtbot):
    panel.model.to_end()
    view = panel.view
    view.finish_glide()  # following the last step has finished scrolling
    view.reset_zoom()
    view.centerOn(panel.cell_scene_point((3, 3)))
    target = view.mapFromScene(panel.cell_scene_point((3, 3)))
    qtbot.mouseMove(view.viewport(), target)
    qtbot.waitUntil(lambda: panel.grid.hovered_cell == (3, 3), timeout=2000)
    marks = panel.grid.marks
    # D[3,3] = 6 ties three ways: from (2,2), (2,3) and (3,2).
    assert {a.end for a in marks.arrows if a.role == "backpointer"} == {(2, 2), (2, 3), (3, 2)}


def test_changing_inputs_recomputes(panel, qtbot):
    panel.source_edit.setText("graffe")
    panel.target_edit.setText("giraffe")
    panel.preset_box.setCurrentText("Levenshtein 1/1/1")
    panel._apply_preset(panel.preset_box.currentIndex())
    assert panel.result.distance == 1.0
    qtbot.keyClicks(panel.insertion_edit, "0")  # "10"
    qtbot.waitUntil(lambda: panel.result.costs["ins"] == 10.0, timeout=2000)
    assert panel.preset_box.currentText() == "Custom"


def test_word_mode(panel):
    panel.set_inputs(dict(panel.examples[3][1]))
    assert panel.result.source[:3] == ("the", "quick", "brown")
    assert panel.result.table.shape == (9, 9)
    assert panel.message.isHidden()


@pytest.mark.parametrize(
    "field,text,message",
    [
        ("insertion_edit", "-1", "The insertion cost must be a non-negative number; got -1."),
        ("substitution_edit", "two", "The substitution cost must be a number; got 'two'."),
        ("deletion_edit", "", "The deletion cost must be a number; got 'nothing'."),
    ],
)
def test_bad_costs_show_one_sentence_and_keep_the_input(panel, qtbot, field, text, message):
    before = panel.result
    getattr(panel, field).setText(text)
    assert panel.run() is False
    assert panel.message.isVisible() and panel.message.text() == message
    assert getattr(panel, field).text() == text  # what the user typed stays
    assert panel.result is before  # the last good picture stays
    getattr(panel, field).setText("1")
    assert panel.run() is True and panel.message.isHidden()


def test_oversized_input_states_the_limit(panel):
    panel.source_edit.setText("a" * (MAX_TRACED_ITEMS + 1))
    assert panel.run() is False
    assert "at most 1,000 per side" in panel.message.text()
    assert len(panel.source_edit.text()) == MAX_TRACED_ITEMS + 1


def test_empty_strings_are_valid(panel):
    panel.source_edit.setText("")
    panel.target_edit.setText("abc")
    assert panel.run() is True
    assert panel.result.distance == 3.0
    panel.model.to_end()
    assert "total cost 3" in panel.narration(panel.model.current_step)[1]
    panel.target_edit.setText("")
    assert panel.run() is True and panel.result.distance == 0.0


def test_dark_theme_switches_every_role(window, panel):
    window.set_theme("dark")
    assert panel.palette_roles.name == "dark"
    step = int(panel.result.filled_at[5, 2]) + 1
    panel.model.set_step(step)
    assert close(pixel_at_cell(panel, (5, 2)), panel.palette_roles.current_fill)
    assert close(pixel_at_cell(panel, (7, 7)), panel.palette_roles.surface)


def test_500_by_500_grid_scrubs(panel, qtbot):
    import random

    rng = random.Random(1)
    panel.source_edit.setText("".join(rng.choice("acgt") for _ in range(500)))
    panel.target_edit.setText("".join(rng.choice("acgt") for _ in range(500)))
    assert panel.run() is True
    assert panel.model.nsteps > 250_000
    for step in (0, 1234, 125_000, 251_000, panel.model.nsteps):
        panel.model.set_step(step)
        panel.view.viewport().repaint()
    assert panel.grid.marks.filled.sum() == 501 * 501


def header_ink(panel, index, horizontal):
    """Dark pixels in a header cell's label area (index number excluded)."""
    grid = panel.grid
    rect = panel.export_rect()
    image = render_image(panel.scene, rect, 1.0).image
    area = grid.mapRectToScene(grid.header_rect(index, horizontal)).adjusted(6, 14, -4, -2)
    dark = 0
    for x in range(int(area.left() - rect.left()), int(area.right() - rect.left())):
        for y in range(int(area.top() - rect.top()), int(area.bottom() - rect.top())):
            dark += QColor(image.pixel(x, y)).lightness() < 100
    return dark


def test_header_items_are_large_and_bold(panel):
    # A bold 20 px 'x' inks ~68 pixels; the 11 px index font (a past regression) ~9.
    assert header_ink(panel, 2, horizontal=True) > 35  # target 'x'
    assert header_ink(panel, 3, horizontal=False) > 35  # source 't'


def test_headers_stay_visible_deep_in_a_big_grid(window, panel, qtbot):
    import random

    rng = random.Random(2)
    panel.source_edit.setText("".join(rng.choice("acgt") for _ in range(300)))
    panel.target_edit.setText("".join(rng.choice("acgt") for _ in range(300)))
    assert panel.run()
    panel.view.reset_zoom()
    cell = (200, 250)
    panel.model.set_step(int(panel.result.filled_at[cell]) + 1)
    panel.view.centerOn(panel.cell_scene_point(cell))
    image = panel.view.viewport().grab().toImage()
    palette = panel.palette_roles
    # Top edge: the frozen column headers (surface), with the current column tinted;
    # left edge: the frozen row headers. Without them both would be plain cells.
    current_x = panel.view.mapFromScene(panel.cell_scene_point(cell)).x()
    current_y = panel.view.mapFromScene(panel.cell_scene_point(cell)).y()
    assert close(QColor(image.pixel(current_x, 4)), palette.current_fill)
    assert close(QColor(image.pixel(current_x + 100, 4)), palette.surface)
    assert close(QColor(image.pixel(20, current_y + 15)), palette.current_fill)
    assert close(QColor(image.pixel(20, current_y + 120)), palette.surface)


def test_forced_theme_restyles_widgets_and_system_restores_them(window, panel):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    original = QApplication.palette().color(QPalette.ColorRole.Base)
    window.set_theme("dark")
    assert close(QApplication.palette().color(QPalette.ColorRole.Base), panel.palette_roles.background)
    window.set_theme("system")
    assert QApplication.palette().color(QPalette.ColorRole.Base) == original


def test_the_cost_line_is_painted_inside_the_alignment_bounds_so_home_erases_it(window, panel, qtbot):
    """Item 14: after Home, a fragment of the old cost line ("1 + 2 = 8") stayed on screen: it was
    painted outside the item's bounds, which are all Qt repaints."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QColor

    panel.set_inputs({**panel.inputs(), "source": "intention", "target": "execution", "substitution_cost": 2})
    item = panel._alignment
    panel.model.to_end()
    qtbot.wait(20)
    cost_rect = item.mapRectToScene(item.boundingRect())
    assert item.boundingRect().width() >= item._label_width + item._text_width
    panel.model.to_start()
    panel.view.viewport().repaint()
    image = panel.view.grab().toImage()
    shown = (
        panel.view.mapFromScene(cost_rect)
        .boundingRect()
        .intersected(QRect(0, 0, image.width(), image.height()))
    )
    background = QColor(panel.palette_roles.background)
    # The strip where the cost line was (below the operation row) is background again.
    y = shown.top() + int(shown.height() * 0.85)
    row = [image.pixelColor(x, y) for x in range(shown.left(), shown.right(), 3)]
    assert row and all(c == background for c in row)


def test_a_space_is_shown_as_a_visible_space_in_the_headers(panel):
    panel.set_inputs({**panel.inputs(), "source": "a cat", "target": "at"})
    assert panel.grid.row_labels == ["#", "a", "␣", "c", "a", "t"]
    assert panel.grid.column_labels == ["#", "a", "t"]


def test_the_transposition_arrow_bends_around_the_number_it_jumps_over(panel):
    from PySide6.QtCore import QPointF, QRectF

    panel.set_inputs({**panel.inputs(), "source": "acress", "target": "caress", "transpositions": True})
    panel.model.to_end()
    grid = panel.grid
    (jump,) = [a for a in grid.marks.arrows if abs(a.start[0] - a.end[0]) == 2]
    path, _, _ = grid.arrow_path(jump)
    middle = grid.cell_rect((1, 1))
    number = QRectF(0, 0, middle.width() * 0.5, middle.height() * 0.5)
    number.moveCenter(middle.center())
    # A straight line from D[2,2] to D[0,0] went through the "2" of D[1,1].
    assert not any(number.contains(path.pointAtPercent(k / 100)) for k in range(101))
    assert number.contains(
        QPointF((path.pointAtPercent(0).x() + path.pointAtPercent(1).x()) / 2, number.center().y())
    )
    straight = [a for a in grid.marks.arrows if a is not jump]
    assert straight and all(grid.arrow_path(a)[0].elementCount() == 2 for a in straight)
