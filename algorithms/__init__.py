"""Pure algorithm engines for Trellis.

Every engine is a plain function returning a result object that carries the
answer and a :class:`~algorithms.trace.Trace` of step events. Nothing in this
package imports Qt, matplotlib or the visualizer (a test enforces it).
"""
