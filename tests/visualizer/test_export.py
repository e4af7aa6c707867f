"""Export of the current view: PNG at scales, SVG with text, PDF, GIF frames, clipboard."""

import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from PySide6.QtGui import QGuiApplication, QImage

from visualizer.export import MAX_GIF_FRAMES, ExportError, parse_step_range


@pytest.fixture
def mid_fill(panel):
    panel.model.set_step(int(panel.result.filled_at[5, 2]) + 1)
    return panel


@pytest.mark.parametrize("scale", [1.0, 2.0, 4.0])
def test_png_opens_at_the_asked_scale(window, mid_fill, tmp_path, scale):
    path = tmp_path / f"grid@{scale:g}x.png"
    assert window.export_to(str(path), "png", scale) == ""
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
    assert "D[5,2]" not in joined  # narration lives in the window, not the figure


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


def test_visible_region_export(window, panel, tmp_path):
    panel.view.set_zoom(3.0)
    path = tmp_path / "visible.png"
    window.export_to(str(path), "png", region="visible")
    image = QImage(str(path))
    whole = panel.export_rect()
    assert 0 < image.width() < whole.width()


def test_copy_to_clipboard(window, panel):
    window.copy_view()
    image = QGuiApplication.clipboard().image()
    assert image.width() == round(panel.export_rect().width() * 2)


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
