"""Server-rendered SVG charts: pure functions from the caller's data and words to a
:class:`Chart` (SVG markup and a one-sentence text alternative). No I/O.

The SVG scales to its container (a ``viewBox``, no width), names itself by its ``<title>`` and
``<desc>`` (``role="img"``), draws with presentation attributes only (so the PDF renderer draws
it too), and keeps to colours of 3:1 (marks) and 4.5:1 (text) against white.
"""

from tvers_reporting.charts.bars import grouped_bars
from tvers_reporting.charts.canvas import Chart
from tvers_reporting.charts.heat_map import heat_map
from tvers_reporting.charts.line import line

__all__ = ["Chart", "grouped_bars", "heat_map", "line"]
