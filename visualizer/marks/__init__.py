"""What each panel draws at a step, decided by pure functions of (result, state): no Qt here.

A panel's ``show_step`` is ``render(marks_for(result, result.state_at(step), ...))``;
these modules hold the ``marks_for`` half, so it is tested without a display.
"""
