"""Figures of any panel at any step: PNG, SVG, PDF, animated GIF, clipboard.

The GUI's export dialog and `trellis export` both call these functions with a
panel, so a figure on a slide is exactly what the window shows. Files are
written atomically; vector formats keep text as text.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QGraphicsScene

from visualizer.files import atomic_path

__all__ = [
    "FORMATS",
    "MAX_IMAGE_SIDE",
    "MAX_GIF_FRAMES",
    "ExportError",
    "render_image",
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


class ExportError(ValueError):
    """An export that cannot be done, said in one sentence."""


@dataclass(frozen=True)
class Rendered:
    image: QImage
    scale: float  # the scale actually used (may be below the one asked for)


def render_image(
    scene: QGraphicsScene, rect: QRectF, scale: float = 1.0, max_side: int = MAX_IMAGE_SIDE
) -> Rendered:
    """Paint ``rect`` of ``scene`` into an image at ``scale`` (shrunk to fit ``max_side``)."""
    if scale <= 0:
        raise ExportError(f"The scale must be positive; got {scale:g}.")
    largest = max(rect.width(), rect.height()) * scale
    if largest > max_side:
        scale *= max_side / largest
    size = QSize(max(1, round(rect.width() * scale)), max(1, round(rect.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(scene.backgroundBrush().color() if scene.backgroundBrush().style() else QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    scene.render(
        painter, QRectF(0, 0, size.width(), size.height()), rect, Qt.AspectRatioMode.IgnoreAspectRatio
    )
    painter.end()
    return Rendered(image, scale)


def save_figure(
    scene: QGraphicsScene,
    rect: QRectF,
    path: str | os.PathLike[str],
    fmt: str,
    scale: float = 1.0,
    title: str = "",
) -> str:
    """Write one figure; returns a one-line note for the user ("" if nothing to say)."""
    fmt = fmt.lower()
    if fmt == "png":
        rendered = render_image(scene, rect, scale)
        with atomic_path(path, "png") as temporary:
            if not rendered.image.save(temporary, "PNG"):
                raise ExportError(f"Could not write the PNG image {os.fspath(path)}.")
        if rendered.scale < scale - 1e-9:
            return (
                f"The figure is large, so it was drawn at scale {rendered.scale:.2f} "
                f"(the longest side is capped at {MAX_IMAGE_SIDE:,} pixels)."
            )
        return ""
    if fmt == "svg":
        _save_svg(scene, rect, path, title)
        return ""
    if fmt == "pdf":
        _save_pdf(scene, rect, path, title)
        return ""
    raise ExportError(f"Unknown figure format {fmt!r}; use one of png, svg, pdf (or gif for an animation).")


def _save_svg(scene: QGraphicsScene, rect: QRectF, path: str | os.PathLike[str], title: str) -> None:
    from PySide6.QtSvg import QSvgGenerator  # only exports need QtSvg

    with atomic_path(path, "svg") as temporary:
        generator = QSvgGenerator()
        generator.setFileName(temporary)
        generator.setSize(QSize(round(rect.width()), round(rect.height())))
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle(title or "Trellis figure")
        generator.setDescription("Made with Trellis")
        painter = QPainter(generator)
        painter.fillRect(QRectF(0, 0, rect.width(), rect.height()), scene.backgroundBrush())
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()


def _save_pdf(scene: QGraphicsScene, rect: QRectF, path: str | os.PathLike[str], title: str) -> None:
    with atomic_path(path, "pdf") as temporary:
        writer = QPdfWriter(temporary)
        writer.setTitle(title or "Trellis figure")
        writer.setCreator("Trellis")
        writer.setResolution(72)  # one scene pixel = one PDF point
        writer.setPageSize(QPageSize(QSizeF(rect.width(), rect.height()), QPageSize.Unit.Point))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
        painter = QPainter(writer)
        target = QRectF(0, 0, writer.width(), writer.height())
        painter.fillRect(target, scene.backgroundBrush())
        scene.render(painter, target, rect)
        painter.end()


def save_gif(frames: Sequence[QImage], path: str | os.PathLike[str], frame_ms: int = 250) -> None:
    """Encode ``frames`` as a looping GIF; the last frame is held a little longer."""
    from PIL import Image  # Pillow is only needed for animations

    if not frames:
        raise ExportError("There are no frames to write.")
    pictures = []
    for frame in frames:
        rgba = frame.convertToFormat(QImage.Format.Format_RGBA8888)
        data = bytes(rgba.constBits())[: rgba.sizeInBytes()]
        picture = Image.frombuffer(
            "RGBA", (rgba.width(), rgba.height()), data, "raw", "RGBA", rgba.bytesPerLine(), 1
        )
        pictures.append(picture.convert("RGB").quantize(colors=255, method=Image.Quantize.MEDIANCUT))
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
        )


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


def export_panel(
    panel: Any,
    path: str | os.PathLike[str],
    fmt: str,
    scale: float = 1.0,
    region: str = "whole",
    steps: str | None = None,
    frame_ms: int = 250,
) -> str:
    """Export a panel's view at its current step, or a GIF of ``steps`` ("A:B").

    ``region`` is ``"whole"`` (the full figure) or ``"visible"`` (what the view
    shows now). Returns a one-line note for the user ("" if nothing to say).
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    title = f"Trellis — {panel.name}, step {panel.model.current_step}"
    rect = panel.visible_rect() if region == "visible" else panel.export_rect()
    if fmt != "gif":
        return save_figure(panel.scene, rect, path, fmt, scale, title)
    positions = parse_step_range(steps or f"0:{panel.model.nsteps}", panel.model.nsteps)
    model = panel.model
    back_to = model.current_step
    frames = []
    try:
        # Size the animation once, on the union of the first and last frames,
        # so every frame has the same canvas.
        model.set_step(positions[-1])
        if region != "visible":
            rect = panel.export_rect()
            model.set_step(positions[0])
            rect = rect.united(panel.export_rect())
        for position in positions:
            model.set_step(position)
            frames.append(render_image(panel.scene, rect, scale, MAX_GIF_SIDE).image)
    finally:
        model.set_step(back_to)
    save_gif(frames, path, frame_ms)
    note = f"Wrote {len(frames)} frames (steps {positions[0]} to {positions[-1]})."
    asked_end = (steps or "").partition(":")[2].strip()
    if asked_end.isdigit() and int(asked_end) > positions[-1]:
        note += f" The trace has {model.nsteps} steps, so the animation stops there, not at {asked_end}."
    return note
