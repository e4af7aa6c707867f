"""Trellis's Qt front end: the main window, the player, panels, views and export.

The visualizer knows the algorithms; the algorithms never know it.
"""
