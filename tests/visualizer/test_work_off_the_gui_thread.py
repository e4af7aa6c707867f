"""Long exports and computations leave the window live: chunks on the GUI thread, the rest in a worker.

Outside testing found a 600-step GIF holding the window for 227 s, a 4x PNG for 3.3 s, a tagger
with a held-out file for 1.1 s and tf-idf on EWT's dev set for 1.0 s. How long the window is held
now is measured by benchmarks/bench_responsive.py; these tests check the mechanism: the event loop
turns between frames, training and counting run in a worker thread, Cancel writes nothing and
keeps the step, and banded drawing paints exactly what one pass paints.
"""

import threading

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

import visualizer.background as background
from visualizer.background import run_in_background
from visualizer.export import MAX_VECTOR_SIDE, BandedImage, ExportError, export_panel, render_image
from visualizer.panels import PANELS


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    data = np.frombuffer(bytes(image.constBits())[: image.sizeInBytes()], np.uint8)
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]


def _cancel_dialog_soon(after_ms: int = 0) -> list[bool]:
    """Press Cancel on the progress dialog as soon as it exists; returns a flag list (pressed?)."""
    pressed: list[bool] = []

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QProgressDialog) and widget.isVisible() and not pressed:
                widget.findChild(QPushButton).click()  # what the user does (cancel() emits nothing)
                pressed.append(True)
                return
        if not pressed:
            QTimer.singleShot(5, poll)

    QTimer.singleShot(after_ms, poll)
    return pressed


@pytest.mark.parametrize("name", [spec.name for spec in PANELS])
def test_banded_drawing_paints_exactly_what_one_pass_paints(window, name):
    window.show_panel(name)
    panel = window.current_panel
    for step in (1, panel.model.nsteps // 2):
        panel.model.set_step(step)
        rect = panel.export_rect()
        render_image(panel.scene, rect, 2.0)  # warm the glyph cache: a first text draw can differ
        whole = render_image(panel.scene, rect, 2.0)
        banded = BandedImage(panel.scene, rect, 2.0, 12000)
        banded.BAND_ROWS = 64  # many band edges through numbers, lines and labels
        fractions = list(banded.bands())
        assert len(fractions) == -(-whole.image.height() // 64) and fractions[-1] == 1.0
        assert np.array_equal(_pixels(banded.rendered.image), _pixels(whole.image)), (name, step)


def test_the_window_gets_turns_between_gif_frames(window, panel, tmp_path, monkeypatch):
    monkeypatch.setattr(background, "TURN_SECONDS", 0.0)  # a turn after every frame
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(panel.model.current_step))
    timer.start(0)
    try:
        note = window.export_to(str(tmp_path / "fill.gif"), "gif", steps="0:30", frame_ms=100)
    finally:
        timer.stop()
    assert note == "Wrote 31 frames (steps 0 to 30)."
    # The event loop ran while frames were drawn (the timer saw the steps being drawn) …
    assert len(ticks) >= 31 and len(set(ticks)) >= 25
    assert not panel.busy


@pytest.mark.parametrize("caption", [False, True])
def test_gif_frames_share_one_palette_and_match_the_figure(window, panel, tmp_path, caption):
    from visualizer.caption_band import caption_for

    path = tmp_path / "fill.gif"
    window.export_to(str(path), "gif", steps="10:25", frame_ms=100, caption=caption)
    panel.model.set_step(25)
    rect = panel.export_rect().united(_first_rect(panel, 10))
    band = None
    if caption:  # the last frame's narration, in a band as tall as the range's tallest
        tallest = max(caption_for(panel, k).height(rect.width()) for k in range(10, 26))
        band = caption_for(panel, 25, tallest)
    expected = render_image(panel.scene, rect, 1.0, band=band).image
    with Image.open(path) as gif:
        assert gif.n_frames == 16
        palettes = set()
        for index in range(gif.n_frames):
            gif.seek(index)
            palettes.add(bytes(gif.getpalette() or []))
        last = np.asarray(gif.convert("RGB"), dtype=int)
    # One palette (later frames carry none of their own): a colour never flickers between frames.
    assert len(palettes - {b""}) == 1
    rendered = _pixels(expected).reshape(expected.height(), expected.width(), 4)[:, :, :3].astype(int)
    assert last.shape == rendered.shape
    assert np.abs(last - rendered).mean() < 1.0  # a 255-colour palette of a few UI colours is near exact


def _first_rect(panel, step):
    back = panel.model.current_step
    panel.model.set_step(step)
    rect = panel.export_rect()
    panel.model.set_step(back)
    return rect


def test_cancel_while_drawing_frames_writes_nothing_and_keeps_the_step(window, panel, tmp_path, monkeypatch):
    monkeypatch.setattr(background, "TURN_SECONDS", 0.0)
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    path = tmp_path / "fill.gif"
    path.write_bytes(b"GIF89a old file")
    panel.model.set_step(7)
    pressed = _cancel_dialog_soon()
    with pytest.raises(InterruptedError):
        window.export_to(str(path), "gif", steps="0:110", frame_ms=100)
    assert pressed
    assert path.read_bytes() == b"GIF89a old file"
    assert panel.model.current_step == 7 and not panel.busy
    assert [p.name for p in tmp_path.iterdir()] == ["fill.gif"]  # no temporary file left behind


def test_cancel_in_the_worker_drops_the_result(window, monkeypatch):
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    started = threading.Event()

    def work(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        return "finished anyway"  # work that cannot stop part-way: its result must not be used

    QTimer.singleShot(0, lambda: _cancel_dialog_soon())
    with pytest.raises(InterruptedError):
        run_in_background(window, "Waiting…", work)
    assert started.is_set()


def test_worker_errors_reach_the_caller_as_they_were(window):
    def work(progress, cancelled):
        raise OSError("The disk is full.")

    with pytest.raises(OSError, match="The disk is full."):
        run_in_background(window, "Writing…", work)


def test_png_compression_runs_in_a_worker(window, panel, tmp_path, monkeypatch):
    threads = []
    real_save = QImage.save

    def recording_save(image, *args):
        threads.append(threading.current_thread())
        return real_save(image, *args)

    monkeypatch.setattr(QImage, "save", recording_save)
    window.export_to(str(tmp_path / "grid.png"), "png", 2.0)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert not QImage(str(tmp_path / "grid.png")).isNull()


def test_a_vector_figure_past_the_pdf_page_limit_is_refused_in_one_sentence(window, panel, tmp_path):
    panel.set_inputs({**panel.inputs(), "source": "ab" * 130, "target": "ba" * 130})
    rect = panel.export_rect()
    assert rect.width() > MAX_VECTOR_SIDE
    for fmt in ("svg", "pdf"):
        path = tmp_path / f"big.{fmt}"
        with pytest.raises(ExportError) as refused:
            export_panel(panel, path, fmt)
        message = str(refused.value)
        assert "an SVG or PDF figure is at most 14,400 points a side" in message
        assert message.count(".") == 1 and "visible" in message  # one sentence, with the way out
        assert not path.exists()
        # What is visible now is small, and exports as a vector figure.
        export_panel(panel, path, fmt, region="visible")
        assert path.stat().st_size > 1000


def _threads_calling(monkeypatch, module, name):
    """The threads that call ``module.name`` from now on (it still does its work)."""
    threads = []
    real = getattr(module, name)

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recording)
    return threads


def _tiny_treebank(path):
    rows = []
    for index, (words, tags) in enumerate(
        [("the dog barks", "DET NOUN VERB"), ("a cat sleeps", "DET NOUN VERB"), ("dogs bark", "NOUN VERB")]
    ):
        rows.append(f"# sent_id = {index + 1}")
        for position, (word, tag) in enumerate(zip(words.split(), tags.split(), strict=True), 1):
            rows.append(f"{position}\t{word}\t{word}\t{tag}\t_\t_\t0\t_\t_\t_")
        rows.append("")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_tagger_named_by_a_lesson_trains_in_a_worker(window, tmp_path, monkeypatch):
    import visualizer.panels.hmm as hmm_panel

    threads = _threads_calling(monkeypatch, hmm_panel, "train_tagger")
    window.show_panel("hmm")
    panel = window.current_panel
    train = _tiny_treebank(tmp_path / "train.conllu")
    heldout = _tiny_treebank(tmp_path / "heldout.conllu")
    panel.set_inputs(
        {
            **panel.inputs(),
            "model": {"conllu": str(train), "column": "upos", "heldout": str(heldout)},
            "observations": "the dog sleeps",
        }
    )
    assert threads and threads[0] is not threading.main_thread()
    assert panel.model.nsteps > 0


def test_tf_idf_of_a_big_corpus_is_counted_in_a_worker(window, monkeypatch):
    import visualizer.panels.embeddings_compute as embeddings_compute

    threads = _threads_calling(monkeypatch, embeddings_compute, "term_document_matrix")
    window.show_panel("embeddings")
    panel = window.current_panel
    rng = np.random.default_rng(3)
    words = [f"w{k}" for k in range(500)]
    lines = [" ".join(rng.choice(words, size=20)) for _ in range(1100)]  # 22,000 tokens
    panel.set_inputs({**panel.inputs(), "source": "\n".join(lines), "mode": "tfidf", "words": ""})
    assert threads and threads[0] is not threading.main_thread()
    assert panel.shown_mode == "tfidf" and panel.model.nsteps > 0
