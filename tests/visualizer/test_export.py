"""Export of the current view: PNG at scales, SVG with text, PDF, GIF frames, clipboard."""

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QGuiApplication, QImage

from visualizer.export import MAX_GIF_FRAMES, ExportError, parse_step_range
from visualizer.panels.sheets import WHOLE
from visualizer.views.scene_items import top_level_items


@pytest.fixture
def mid_fill(panel):
    panel.model.set_step(int(panel.result.filled_at[5, 2]) + 1)
    return panel


@pytest.mark.parametrize("scale", [1.0, 2.0, 4.0])
def test_png_opens_at_the_asked_scale(window, mid_fill, tmp_path, scale):
    path = tmp_path / f"grid@{scale:g}x.png"
    assert window.export_to(str(path), "png", scale, caption=False) == ""
    image = QImage(str(path))
    assert not image.isNull()
    rect = mid_fill.export_rect()
    assert image.width() == round(rect.width() * scale)
    assert image.height() == round(rect.height() * scale)


def test_svg_parses_and_keeps_text_as_text(window, mid_fill, tmp_path):
    path = tmp_path / "grid.svg"
    window.export_to(str(path), "svg")
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert len(texts) > 100  # every number and label is a text element
    joined = " ".join(texts)
    assert "intention" in joined and "step 57 / 110" in joined
    # The caption band narrates the step under the figure, as text.
    assert "Step 57 of 110" in joined and "D[5,2] = min(" in joined
    window.export_to(str(path), "svg", caption=False)
    root = ET.parse(path).getroot()
    joined = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "intention" in joined and "D[5,2]" not in joined


def test_pdf_is_vector_with_embedded_text(window, mid_fill, tmp_path):
    path = tmp_path / "grid.pdf"
    window.export_to(str(path), "pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    # Text is set in embedded fonts, and nothing is a raster image (ProcSet merely lists /ImageB etc.).
    assert re.search(rb"/Subtype\s*/CIDFontType2", data)
    assert not re.search(rb"/Subtype\s*/Image", data)
    assert len(data) > 2000


def test_gif_has_one_frame_per_step(window, panel, tmp_path):
    panel.model.set_step(12)
    path = tmp_path / "fill.gif"
    note = window.export_to(str(path), "gif", steps="0:20", frame_ms=100)
    assert note == "Wrote 21 frames (steps 0 to 20)."
    with Image.open(path) as gif:
        assert gif.n_frames == 21
        assert gif.info["loop"] == 0
    assert panel.model.current_step == 12  # the view is put back where it was


def test_the_caption_band_is_under_the_figure_and_wraps_to_its_width(window, mid_fill, tmp_path):
    from visualizer.caption_band import caption_for
    from visualizer.export import canvas_size

    path = tmp_path / "captioned.png"
    window.export_to(str(path), "png", 1.0)
    image = QImage(str(path))
    rect = mid_fill.export_rect()
    band = caption_for(mid_fill, mid_fill.model.current_step)
    expected = canvas_size(rect, band)
    assert (image.width(), image.height()) == (round(expected.width()), round(expected.height()))
    assert band.height(rect.width()) >= 60  # a heading and at least one line of the formula
    # A narrow figure wraps the sentence onto more lines, and the band grows to hold them all.
    assert band.height(200) > band.height(2000)
    # The band's rows hold text: dark pixels on the band's surface colour.
    y = round(rect.height() + band.height(rect.width()) / 2)
    row = [QColor(image.pixel(x, y)).lightness() for x in range(image.width())]
    assert min(row) < 120


def test_visible_region_export(window, panel, tmp_path):
    panel.view.set_zoom(3.0)
    path = tmp_path / "visible.png"
    window.export_to(str(path), "png", region="visible")
    image = QImage(str(path))
    whole = panel.export_rect()
    assert 0 < image.width() < whole.width()


def test_copy_to_clipboard(window, panel):
    from visualizer.caption_band import caption_for
    from visualizer.export import canvas_size

    window.copy_view()
    image = QGuiApplication.clipboard().image()
    size = canvas_size(panel.export_rect(), caption_for(panel, panel.model.current_step))
    assert (image.width(), image.height()) == (round(size.width() * 2), round(size.height() * 2))


def test_bad_export_requests_are_one_sentence(window, panel, tmp_path):
    with pytest.raises(ExportError, match="runs backwards"):
        parse_step_range("20:10", 100)
    with pytest.raises(ExportError, match=f"at most {MAX_GIF_FRAMES} frames"):
        parse_step_range("0:5000", 10_000)
    assert parse_step_range("0:500", 100) == range(0, 101)  # an end past the trace stops at its end
    with pytest.raises(ExportError, match="outside this trace"):
        parse_step_range("200:500", 100)
    with pytest.raises(OSError, match="does not exist"):
        window.export_to(str(tmp_path / "missing" / "x.png"), "png")
    assert not (tmp_path / "missing").exists()


def test_failed_write_leaves_the_old_file(window, panel, tmp_path, monkeypatch):
    path = tmp_path / "keep.png"
    path.write_bytes(b"old")
    monkeypatch.setattr(QImage, "save", lambda self, *a, **k: False)
    with pytest.raises(ExportError):
        window.export_to(str(path), "png")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.png"]  # no temporary left behind


def test_svg_text_names_fallback_fonts_so_a_pc_without_dejavu_still_draws_it(qapp, tmp_path):
    """Issue 13, item 10: every font-family ends with a generic family; the file stays valid SVG."""
    import xml.etree.ElementTree as ElementTree

    from PySide6.QtSvg import QSvgRenderer

    from visualizer.export import export_panel, with_font_fallbacks
    from visualizer.panels.edit_distance import EditDistancePanel

    path = tmp_path / "grid.svg"
    export_panel(EditDistancePanel(), path, "svg")
    families = {
        element.get("font-family")
        for element in ElementTree.parse(path).iter()
        if element.get("font-family") is not None
    }
    assert families and all(f.endswith(("sans-serif", "monospace")) for f in families)
    assert any(f.startswith("'DejaVu Sans Mono'") and f.endswith("monospace") for f in families)
    assert QSvgRenderer(str(path)).isValid()
    once = with_font_fallbacks('<text font-family="DejaVu Sans">x</text>')
    assert with_font_fallbacks(once) == once  # a listed family is left as it is


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("edit-distance", {"table", "alignment"}),
        ("hmm", {"trellis", "pi", "A", "B", "tables"}),
        ("cky", {"chart", "tree", "grammar"}),
        ("ngram", {"counts", "probabilities", "comparison", "mass"}),
        ("embeddings", {"counts", "weights", "cosines"}),
        ("dependency", {"stack", "arcs", "details"}),
    ],
)
def test_every_panel_names_its_parts_and_a_part_exports_alone(window, tmp_path, name, expected):
    panel = window.panel(name)
    parts = panel.parts()
    assert expected <= set(parts)

    def shown() -> set:
        return {item for item in top_level_items(panel.scene) if item.isVisible()}

    shown_before = shown()
    sheet = panel.sheets.current
    panel.sheets.show(WHOLE)  # every part where the whole figure places it
    figure = panel.export_rect()
    for part, rect in panel.parts().items():
        assert figure.adjusted(-30, -30, 30, 30).contains(rect), part
    panel.sheets.show(sheet)
    # The part exported is not on the sheet shown where the panel has sheets (n-gram: mass).
    part = "mass" if name == "ngram" else sorted(expected)[0]
    path = tmp_path / f"{name}-{part}.svg"
    window.show_panel(name)
    window.export_to(str(path), "svg", caption=False, part=part)
    root = ET.parse(path).getroot()
    width = float(root.get("width", "0").removesuffix("mm").removesuffix("px"))
    assert width < figure.width() or len(parts) == 1
    # Only the part is drawn: the figure's title (outside every part) is not in it.
    joined = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    title = panel._caption.title
    assert title and title not in joined
    # And the sheet shown is as it was afterwards.
    assert {item for item in top_level_items(panel.scene) if item.isVisible()} == shown_before


def test_an_unknown_part_is_one_sentence_naming_the_parts(window, panel, tmp_path):
    with pytest.raises(ExportError, match=r"no part 'nope'; its parts are: table, alignment"):
        window.export_to(str(tmp_path / "x.png"), "png", part="nope")


def test_gif_frames_share_one_canvas_with_room_for_the_longest_caption(window, tmp_path):
    from visualizer.caption_band import caption_for
    from visualizer.export import canvas_size

    panel = window.panel("ngram")
    window.show_panel("ngram")
    panel.sheets.show("Unseen mass")
    path = tmp_path / "score.gif"
    window.export_to(str(path), "gif", steps="0:last", frame_ms=100)
    # The mass chart is empty at the start and end and full in between: the canvas holds the largest.
    rect = QRectF()
    for step in range(panel.model.nsteps + 1):
        panel.model.set_step(step)
        rect = rect.united(panel.export_rect())
    assert rect.height() > panel.export_rect().height()
    tallest = max(caption_for(panel, k).height(rect.width()) for k in range(panel.model.nsteps + 1))
    with Image.open(path) as gif:
        assert gif.n_frames == panel.model.nsteps + 1
        size = canvas_size(rect, caption_for(panel, 0, tallest))
        assert gif.size == (round(size.width()), round(size.height()))


@pytest.mark.parametrize("name", ["edit-distance", "hmm", "cky", "ngram", "embeddings", "dependency"])
def test_measuring_and_exporting_a_figure_loses_no_item(window, tmp_path, name):
    """PySide6's parentItem() handed items back to Python, which then deleted them (a legend vanished)."""
    import gc

    panel = window.panel(name)
    panel.set_inputs(dict(panel.examples[0][1]))
    kinds = sorted(type(item).__name__ for item in panel.scene.items())
    part = next(iter(panel.parts()))
    window.show_panel(name)
    panel.export_rect()
    window.export_to(str(tmp_path / "part.svg"), "svg", part=part)
    gc.collect()
    assert sorted(type(item).__name__ for item in panel.scene.items()) == kinds
    assert "LegendItem" in kinds
