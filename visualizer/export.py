"""Figures of any panel at any step: PNG, SVG, PDF, animated GIF, clipboard.

The GUI's export dialog and `trellis export` both call these functions with a
panel, so a figure on a slide is exactly what the window shows. Files are
written atomically; vector formats keep text as text.

An export is planned as an :class:`ExportJob` of two parts, so the window never
freezes: drawing (which must touch the scene, so runs on the GUI thread, one
animation frame per chunk) and writing (PNG compression, GIF colour reduction
and encoding), which runs in a worker thread. `trellis export` runs both parts
in turn.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QGraphicsScene

from visualizer.caption_band import CaptionBand, caption_for
from visualizer.files import atomic_path
from visualizer.views.scene_items import top_level_items

__all__ = [
    "FORMATS",
    "MAX_IMAGE_SIDE",
    "MAX_GIF_FRAMES",
    "MAX_VECTOR_SIDE",
    "ExportError",
    "ExportJob",
    "plan_export",
    "render_image",
    "BandedImage",
    "save_figure",
    "save_gif",
    "copy_image",
    "parse_step_range",
    "export_panel",
    "step_number",
]

FORMATS = ("png", "svg", "pdf", "gif")
#: A PNG side is capped here (the scale shrinks to fit, and the caller is told).
MAX_IMAGE_SIDE = 12000
#: A GIF of more steps than this is refused: choose a smaller range.
MAX_GIF_FRAMES = 600
#: GIF frames are capped smaller: every frame is held in memory while encoding.
MAX_GIF_SIDE = 2400
#: SVG and PDF figures are refused past this many points a side: it is PDF's page limit
#: (200 inches), and a bigger vector figure (a whole 1000 x 1000 grid is a 96 MB SVG of a
#: million text elements) opens in no slide tool. PNG, or the visible region, serve instead.
MAX_VECTOR_SIDE = 14_400

_Item = TypeVar("_Item")
Progress = Callable[[float], None]
Cancelled = Callable[[], bool]


class ExportError(ValueError):
    """An export that cannot be done, said in one sentence."""


@dataclass(frozen=True)
class Rendered:
    image: QImage
    scale: float  # the scale actually used (may be below the one asked for)


def canvas_size(rect: QRectF, band: CaptionBand | None) -> QSizeF:
    """The figure's size in scene units: ``rect``, with the caption band under it."""
    if band is None:
        return rect.size()
    return QSizeF(band.width(rect.width()), rect.height() + band.height(rect.width()))


def _paint_band(painter: QPainter, rect: QRectF, band: CaptionBand | None) -> None:
    """The caption band under a figure of ``rect``'s size drawn at the painter's origin."""
    if band is not None:
        size = canvas_size(rect, band)
        band.paint(painter, QRectF(0, rect.height(), size.width(), size.height() - rect.height()))


def render_image(
    scene: QGraphicsScene,
    rect: QRectF,
    scale: float = 1.0,
    max_side: int = MAX_IMAGE_SIDE,
    band: CaptionBand | None = None,
) -> Rendered:
    """Paint ``rect`` of ``scene``, ``band`` under it, into an image at ``scale`` (shrunk to ``max_side``)."""
    drawing = BandedImage(scene, rect, scale, max_side, band)
    for _ in drawing.bands():
        pass
    return drawing.rendered


class BandedImage:
    """Paints ``rect`` of ``scene`` into an image one band of rows at a time.

    :meth:`bands` yields between bands, so a big figure (12,000 pixels at 4x) is drawn
    in chunks of tens of milliseconds and the window repaints in between. Each band is
    clipped to its rows, so the bands add up to exactly the image one pass would paint.
    """

    #: Image rows painted per band.
    BAND_ROWS = 1024
    #: Rows drawn beyond each side of a band (and clipped away).
    MARGIN_ROWS = 16

    def __init__(
        self,
        scene: QGraphicsScene,
        rect: QRectF,
        scale: float,
        max_side: int,
        band: CaptionBand | None = None,
    ) -> None:
        if scale <= 0:
            raise ExportError(f"The scale must be positive; got {scale:g}.")
        canvas = canvas_size(rect, band)
        largest = max(canvas.width(), canvas.height()) * scale
        if largest > max_side:
            scale *= max_side / largest
        size = QSize(max(1, round(canvas.width() * scale)), max(1, round(canvas.height() * scale)))
        self._scene, self._rect, self._band = scene, rect, band
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        if image.isNull():
            raise ExportError(f"There is not enough memory for a {size.width():,} × {size.height():,} image.")
        # Each band fills its own rows (filling a 12,000-pixel image at once held the window 0.1 s).
        self._background = (
            scene.backgroundBrush().color() if scene.backgroundBrush().style() else QColor("white")
        )
        self.rendered = Rendered(image, scale)

    def bands(self) -> Iterator[float]:
        """Paint the image band by band, yielding the fraction done after each."""
        image, rect, scale = self.rendered.image, self._rect, self.rendered.scale
        width = image.width()
        figure_width = min(width, max(1, round(rect.width() * scale)))
        # The scene's rows; the caption band (if any) is painted under them at the end.
        height = min(image.height(), max(1, round(rect.height() * scale)))
        rows_per_unit = height / rect.height() if rect.height() > 0 else 1.0
        painter = QPainter(image)
        try:
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing
                | QPainter.RenderHint.TextAntialiasing
                | QPainter.RenderHint.SmoothPixmapTransform
            )
            for top in range(0, height, self.BAND_ROWS):
                bottom = min(height, top + self.BAND_ROWS)
                # Each band is drawn from a source a little taller than itself and clipped to its
                # own rows: an item that decides what to paint from its exposed area (a grid's
                # border lines) then paints the band's edges exactly as one pass would.
                padded_top = max(0, top - self.MARGIN_ROWS)
                padded_bottom = min(height, bottom + self.MARGIN_ROWS)
                target = QRectF(0, padded_top, figure_width, padded_bottom - padded_top)
                source = QRectF(
                    rect.left(),
                    rect.top() + padded_top / rows_per_unit,
                    rect.width(),
                    (padded_bottom - padded_top) / rows_per_unit,
                )
                painter.save()
                band = QRectF(0, top, width, bottom - top)
                painter.setClipRect(band)
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                painter.fillRect(band, self._background)  # the new image's memory is not cleared
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
                self._scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
                painter.restore()
                yield bottom / height
            if self._band is not None:
                painter.fillRect(QRectF(0, height, width, image.height() - height), self._background)
                painter.scale(scale, scale)
                _paint_band(painter, rect, self._band)
        finally:
            painter.end()


def save_figure(
    scene: QGraphicsScene,
    rect: QRectF,
    path: str | os.PathLike[str],
    fmt: str,
    scale: float = 1.0,
    title: str = "",
    band: CaptionBand | None = None,
) -> str:
    """Write one figure (with ``band`` under it); returns a one-line note for the user ("" if none)."""
    fmt = fmt.lower()
    if fmt == "png":
        rendered = render_image(scene, rect, scale, band=band)
        _save_png(rendered.image, path)
        return _scale_note(rendered, scale)
    if fmt in ("svg", "pdf"):
        check_vector_size(QRectF(QPointF(0, 0), canvas_size(rect, band)), fmt)
        (_save_svg if fmt == "svg" else _save_pdf)(scene, rect, path, title, band)
        return ""
    raise ExportError(f"Unknown figure format {fmt!r}; use one of png, svg, pdf (or gif for an animation).")


def check_vector_size(rect: QRectF, fmt: str) -> None:
    """Refuse an SVG or PDF figure bigger than :data:`MAX_VECTOR_SIDE` points a side."""
    if max(rect.width(), rect.height()) > MAX_VECTOR_SIDE:
        raise ExportError(
            f"The figure is {rect.width():,.0f} × {rect.height():,.0f} points, but an SVG or PDF "
            f"figure is at most {MAX_VECTOR_SIDE:,} points a side (PDF's page limit); export only "
            "what is visible now, or a PNG."
        )


def _save_png(image: QImage, path: str | os.PathLike[str], cancelled: Cancelled | None = None) -> None:
    with atomic_path(path, "png") as temporary:
        if not image.save(temporary, "PNG"):
            raise ExportError(f"Could not write the PNG image {os.fspath(path)}.")
        if cancelled is not None and cancelled():
            raise InterruptedError("Cancelled.")  # the temporary file goes; the target is untouched


def _scale_note(rendered: Rendered, scale: float) -> str:
    if rendered.scale < scale - 1e-9:
        return (
            f"The figure is large, so it was drawn at scale {rendered.scale:.2f} "
            f"(the longest side is capped at {MAX_IMAGE_SIDE:,} pixels)."
        )
    return ""


def _save_svg(
    scene: QGraphicsScene,
    rect: QRectF,
    path: str | os.PathLike[str],
    title: str,
    band: CaptionBand | None = None,
) -> None:
    from PySide6.QtSvg import QSvgGenerator  # only exports need QtSvg

    canvas = canvas_size(rect, band)
    with atomic_path(path, "svg") as temporary:
        generator = QSvgGenerator()
        generator.setFileName(temporary)
        generator.setSize(QSize(round(canvas.width()), round(canvas.height())))
        generator.setViewBox(QRectF(0, 0, canvas.width(), canvas.height()))
        generator.setTitle(title or "Trellis figure")
        generator.setDescription("Made with Trellis")
        painter = QPainter(generator)
        _draw_vector_figure(painter, scene, rect, band)
        painter.end()
        with open(temporary, encoding="utf-8") as stream:
            svg = stream.read()
        with open(temporary, "w", encoding="utf-8") as stream:
            stream.write(with_font_fallbacks(svg))


#: Fonts an SVG names after its own, so a lecture PC without DejaVu still draws the text.
#: Short lists: the figure text is repeated hundreds of times, and the generic family is what matters.
SANS_FALLBACKS = ("DejaVu Sans", "Arial", "sans-serif")
MONO_FALLBACKS = ("DejaVu Sans Mono", "Consolas", "monospace")


def with_font_fallbacks(svg: str) -> str:
    """Every ``font-family="X"`` of Qt's SVG as a list: X, then similar fonts, then the generic family."""

    def widen(match: re.Match[str]) -> str:
        family = match.group(1)
        fallbacks = MONO_FALLBACKS if "mono" in family.lower() else SANS_FALLBACKS
        names = dict.fromkeys((family, *fallbacks))  # keeps the order, drops a repeat of X
        listed = ",".join(n if n in ("sans-serif", "monospace") else f"'{n}'" for n in names)
        return f'font-family="{listed}"'

    return re.sub(r'font-family="([^"\',]+)"', widen, svg)


def _draw_vector_figure(
    painter: QPainter, scene: QGraphicsScene, rect: QRectF, band: CaptionBand | None
) -> None:
    """The background, ``rect`` of the scene at its own size, and the caption band under it."""
    canvas = canvas_size(rect, band)
    painter.fillRect(QRectF(0, 0, canvas.width(), canvas.height()), scene.backgroundBrush())
    scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    _paint_band(painter, rect, band)


def _save_pdf(
    scene: QGraphicsScene,
    rect: QRectF,
    path: str | os.PathLike[str],
    title: str,
    band: CaptionBand | None = None,
) -> None:
    canvas = canvas_size(rect, band)
    with atomic_path(path, "pdf") as temporary:
        writer = QPdfWriter(temporary)
        writer.setTitle(title or "Trellis figure")
        writer.setCreator("Trellis")
        writer.setResolution(72)  # one scene pixel = one PDF point
        writer.setPageSize(QPageSize(canvas, QPageSize.Unit.Point))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
        painter = QPainter(writer)
        # Points and scene pixels are equal at 72 dpi, so the figure keeps its size.
        _draw_vector_figure(painter, scene, rect, band)
        painter.end()


def save_gif(
    frames: Sequence[QImage],
    path: str | os.PathLike[str],
    frame_ms: int = 250,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> None:
    """Encode ``frames`` as a looping GIF; the last frame is held a little longer.

    Every frame uses one palette, the commonest exact colours of a sample of frames: the
    background, fills and text keep their true colours, a colour keeps its index from frame
    to frame (no flicker), and mapping onto a fixed palette is far faster than a median cut
    per frame (600 frames took 227 s that way). Safe to call in a worker thread;
    ``cancelled`` is polled between frames.
    """
    if not frames:
        raise ExportError("There are no frames to write.")
    report = progress or (lambda fraction: None)
    indexer = _PaletteIndexer([_colour_codes(frame) for frame in _sample(frames, 5)])
    pictures = []
    for index, frame in enumerate(frames):
        if cancelled is not None and cancelled():
            raise InterruptedError("Cancelled.")
        pictures.append(indexer.picture(frame))
        report(0.5 * (index + 1) / len(frames))
    _write_gif(pictures, path, frame_ms, cancelled)
    report(1.0)


def _write_gif(
    pictures: Sequence[Any], path: str | os.PathLike[str], frame_ms: int, cancelled: Cancelled | None
) -> None:
    """Encode indexed Pillow pictures (one shared palette) as a looping GIF, atomically."""
    durations = [frame_ms] * len(pictures)
    durations[-1] = max(frame_ms, 1500)
    with atomic_path(path, "gif") as temporary:
        pictures[0].save(
            temporary,
            format="GIF",
            save_all=True,
            append_images=pictures[1:],
            duration=durations,
            loop=0,
            disposal=1,
            optimize=False,  # keep the one palette as it is: every frame shares it
        )
        if cancelled is not None and cancelled():
            raise InterruptedError("Cancelled.")


def _sample(items: Sequence[_Item], count: int) -> list[_Item]:
    """Up to ``count`` items spread evenly from first to last."""
    if len(items) <= count:
        return list(items)
    return [items[round(k * (len(items) - 1) / (count - 1))] for k in range(count)]


def _colour_codes(frame: QImage) -> Any:
    """The frame's pixels as 24-bit 0xRRGGBB codes (a 2-D numpy array)."""
    import numpy as np

    rgb32 = frame.convertToFormat(QImage.Format.Format_RGB32)  # 0xffRRGGBB per pixel
    words = np.frombuffer(rgb32.constBits(), dtype=np.uint32, count=rgb32.sizeInBytes() // 4)
    rows = words.reshape(rgb32.height(), rgb32.bytesPerLine() // 4)[:, : rgb32.width()]
    return (rows & 0xFFFFFF).astype(np.int32)


class _PaletteIndexer:
    """Maps colour codes to the index of the nearest of the 256 commonest sample colours.

    Exact colours map to themselves (Pillow's own mapping rounds: it drew white as 252);
    a colour not in the palette is matched once, by Euclidean distance, and remembered.
    """

    def __init__(self, samples: Sequence[Any]) -> None:
        import numpy as np

        # Every 4th pixel each way: flat colours are everywhere, and counting stays ~0.1 s.
        codes = np.concatenate([sample[::4, ::4].ravel() for sample in samples])
        values, counts = np.unique(codes, return_counts=True)
        commonest = values[np.argsort(-counts, kind="stable")[:256]]
        self._palette = np.stack([(commonest >> 16) & 255, (commonest >> 8) & 255, commonest & 255], axis=1)
        self._lookup = np.full(1 << 24, -1, dtype=np.int16)
        self._lookup[commonest] = np.arange(len(commonest), dtype=np.int16)
        flat = self._palette.astype(np.uint8).ravel().tolist()
        self.palette_bytes = flat + flat[-3:] * (256 - len(commonest))

    def __call__(self, codes: Any) -> Any:
        import numpy as np

        indices = self._lookup[codes]
        missing = indices < 0
        if missing.any():
            new = np.unique(codes[missing])
            colours = np.stack([(new >> 16) & 255, (new >> 8) & 255, new & 255], axis=1)
            for start in range(0, len(new), 4096):  # (chunk x 256) distances at a time
                chunk = colours[start : start + 4096, None, :] - self._palette[None, :, :]
                self._lookup[new[start : start + 4096]] = (chunk * chunk).sum(axis=2).argmin(axis=1)
            indices = self._lookup[codes]
        return indices.astype(np.uint8)

    def picture(self, frame: QImage) -> Any:
        """``frame`` as an indexed Pillow picture in this palette (1 byte a pixel)."""
        from PIL import Image  # Pillow is only needed for animations

        picture = Image.fromarray(self(_colour_codes(frame)), mode="P")
        picture.putpalette(self.palette_bytes)
        return picture


def copy_image(scene: QGraphicsScene, rect: QRectF, scale: float = 2.0) -> None:
    """Put the figure on the clipboard (2x by default: crisp when pasted into slides)."""
    QGuiApplication.clipboard().setImage(render_image(scene, rect, scale).image)


def parse_step_range(text: str, nsteps: int) -> range:
    """``"A:B"`` (inclusive, either side may be empty or ``last``) as a range of positions.

    An end past the trace stops at its last step (a sampled sentence may end before
    step 20); :func:`export_panel` says so. A start past the end is refused.
    """
    if ":" not in text:
        raise ExportError(f"A step range looks like A:B (for example 0:40); got {text!r}.")
    start_text, stop_text = (part.strip() for part in text.split(":", 1))
    start = _step_number(start_text or "0", nsteps)
    stop = min(_whole_step(stop_text), nsteps) if stop_text not in ("", "last") else nsteps
    if start > stop:
        raise ExportError(f"The step range {text} runs backwards; write the smaller step first.")
    count = stop - start + 1
    if count > MAX_GIF_FRAMES:
        raise ExportError(
            f"The range {start}:{stop} has {count:,} steps; "
            f"an animation holds at most {MAX_GIF_FRAMES} frames."
        )
    return range(start, stop + 1)


def _whole_step(text: str) -> int:
    try:
        step = int(text)
    except ValueError:
        raise ExportError(f"A step is a whole number or 'last'; got {text!r}.") from None
    if step < 0:
        raise ExportError(f"A step is a whole number from 0 up; got {step}.")
    return step


def _step_number(text: str, nsteps: int) -> int:
    if text == "last":
        return nsteps
    step = _whole_step(text)
    if step > nsteps:
        raise ExportError(f"Step {step} is outside this trace, which has steps 0 to {nsteps}.")
    return step


def step_number(text: str, nsteps: int) -> int:
    """``"last"`` or a whole number within ``0..nsteps``."""
    return _step_number(text.strip(), nsteps)


@dataclass
class ExportJob:
    """An export in two parts: ``prepare()`` draws (GUI thread), ``finish`` writes (any thread).

    ``prepare()`` yields its progress (0–1) between chunks of drawing, so the window can
    repaint; ``finish(progress, cancelled)`` writes the file and returns a one-line note
    for the user ("" if nothing to say).
    """

    prepare: Callable[[], Iterator[float]]
    finish: Callable[[Progress, Cancelled], str]
    label: str
    #: The part of the progress bar that drawing fills (the rest is writing).
    drawing_share: float = 0.5


def export_panel(
    panel: Any,
    path: str | os.PathLike[str],
    fmt: str,
    scale: float = 1.0,
    region: str = "whole",
    steps: str | None = None,
    frame_ms: int = 250,
    caption: bool = True,
    part: str | None = None,
) -> str:
    """Export a panel's view at its current step, or a GIF of ``steps`` ("A:B").

    ``region`` is ``"whole"`` (the full figure) or ``"visible"`` (what the view
    shows now); ``part`` names one part of the figure instead (see ``panel.parts()``).
    ``caption`` puts the step's narration in a band under the figure. Returns a
    one-line note for the user ("" if nothing to say). Runs both parts of
    :func:`plan_export` in turn, on the calling thread.
    """
    job = plan_export(panel, path, fmt, scale, region, steps, frame_ms, caption, part)
    for _ in job.prepare():
        pass
    return job.finish(lambda fraction: None, lambda: False)


def plan_export(
    panel: Any,
    path: str | os.PathLike[str],
    fmt: str,
    scale: float = 1.0,
    region: str = "whole",
    steps: str | None = None,
    frame_ms: int = 250,
    caption: bool = True,
    part: str | None = None,
) -> ExportJob:
    """Check the request (ExportError, one sentence) and plan it as an :class:`ExportJob`."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    if region not in ("whole", "visible"):
        raise ExportError(f"The region is 'whole' or 'visible'; got {region!r}.")
    title = f"Trellis — {panel.name}, step {panel.model.current_step}"
    rect = _figure_rect(panel, region, part)
    if fmt == "gif":
        positions = parse_step_range(steps or f"0:{panel.model.nsteps}", panel.model.nsteps)
        return _plan_gif(panel, path, scale, region, steps, frame_ms, positions, caption, part)
    band = caption_for(panel, panel.model.current_step) if caption else None
    if fmt in ("svg", "pdf"):
        check_vector_size(QRectF(QPointF(0, 0), canvas_size(rect, band)), fmt)
        notes: list[str] = []

        def draw_vector() -> Iterator[float]:
            # Vector drawing cannot leave the GUI thread (it paints the scene's items); the size
            # limit keeps it short (a 14,400-point grid draws in about 0.3 s).
            notes.append(save_figure(panel.scene, rect, path, fmt, scale, title, band))
            yield 1.0

        return ExportJob(
            lambda: _only_part(panel, part, draw_vector()),
            lambda progress, cancelled: notes[0],
            f"Writing the {fmt.upper()}…",
            1.0,
        )
    drawing = BandedImage(panel.scene, rect, scale, MAX_IMAGE_SIDE, band)

    def write_png(progress: Progress, cancelled: Cancelled) -> str:
        # Compression is the slow part (3 s at 12,000 pixels), so it is the worker's.
        _save_png(drawing.rendered.image, path, cancelled)
        return _scale_note(drawing.rendered, scale)

    return ExportJob(
        lambda: _only_part(panel, part, drawing.bands()), write_png, "Writing the PNG…", drawing_share=0.1
    )


def _only_part(panel: Any, part: str | None, drawing: Iterator[float]) -> Iterator[float]:
    """Run ``drawing`` with every item outside ``part`` hidden (a neighbour's edge must not show)."""
    if part is None:
        yield from drawing
        return
    keep = set(panel.part_items()[part])
    # A part may be on a sheet not shown now (see visualizer.panels.sheets): it is shown for the export.
    was = {item: item.isVisible() for item in top_level_items(panel.scene)}
    for item in was:
        item.setVisible(item in keep)
    try:
        yield from drawing
    finally:
        for item, visible in was.items():
            item.setVisible(visible)


def _figure_rect(panel: Any, region: str, part: str | None) -> QRectF:
    """The scene rectangle an export shows: one named part, what is visible, or the whole figure."""
    if part is not None:
        parts = panel.parts()
        if part not in parts:
            names = ", ".join(parts) or "none"
            raise ExportError(f"The {panel.name} figure has no part {part!r}; its parts are: {names}.")
        return QRectF(parts[part])
    return QRectF(panel.visible_rect() if region == "visible" else panel.export_rect())


def _plan_gif(
    panel: Any,
    path: str | os.PathLike[str],
    scale: float,
    region: str,
    steps: str | None,
    frame_ms: int,
    positions: range,
    caption: bool = True,
    part: str | None = None,
) -> ExportJob:
    model = panel.model
    pictures: list[Any] = []

    def draw_frames() -> Iterator[float]:
        back_to = model.current_step
        rect = _figure_rect(panel, "visible", None)
        try:
            # Size the animation once, on the union of every frame's figure (a figure may
            # grow or shrink as steps add rows), so every frame has the same canvas.
            if region != "visible" or part is not None:
                rect = QRectF()
                for position in _sample(positions, 12) + [positions[0], positions[-1]]:
                    model.set_step(position)
                    rect = rect.united(_figure_rect(panel, region, part))
            # The band is as tall as the tallest narration of the range: one canvas for all.
            tallest = 0.0
            if caption:
                tallest = max(caption_for(panel, position).height(rect.width()) for position in positions)

            def band(position: int) -> CaptionBand | None:
                return caption_for(panel, position, tallest) if caption else None

            # The palette comes from a few frames across the range, drawn first; then each
            # frame is reduced to it as soon as it is drawn, so the animation is held at one
            # byte a pixel (600 full-colour frames of 2,400 pixels would take 11 GB).
            samples = []
            for position in _sample(positions, 5):
                model.set_step(position)
                image = render_image(panel.scene, rect, scale, MAX_GIF_SIDE, band(position)).image
                samples.append(_colour_codes(image))
                yield 0.0
            indexer = _PaletteIndexer(samples)
            del samples
            for count, position in enumerate(positions, 1):
                model.set_step(position)
                image = render_image(panel.scene, rect, scale, MAX_GIF_SIDE, band(position)).image
                pictures.append(indexer.picture(image))
                yield count / len(positions)
        finally:
            model.set_step(back_to)  # also when cancelled: the window shows the step it showed

    def write_frames(progress: Progress, cancelled: Cancelled) -> str:
        _write_gif(pictures, path, frame_ms, cancelled)
        note = f"Wrote {len(pictures)} frames (steps {positions[0]} to {positions[-1]})."
        asked_end = (steps or "").partition(":")[2].strip()
        if asked_end.isdigit() and int(asked_end) > positions[-1]:
            note += f" The trace has {model.nsteps} steps, so the animation stops there, not at {asked_end}."
        return note

    return ExportJob(
        lambda: _only_part(panel, part, draw_frames()),
        write_frames,
        f"Drawing {len(positions)} frames…",
        drawing_share=0.8,
    )
