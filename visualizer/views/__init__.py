"""Reusable renderers that draw into a QGraphicsScene (screen, PNG, SVG, PDF alike)."""
