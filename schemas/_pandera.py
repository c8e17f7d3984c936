"""pandera, imported without changing how pyarrow reads aware datetimes.

pandera sets PYARROW_IGNORE_TIMEZONE=1 when it is imported and the variable is unset (for
pandas-on-Spark, pandera/external_config.py); pyarrow then takes an aware datetime's wall
clock as UTC when it makes a timestamp array (12:00+05:30 becomes 12:00Z, not 06:30Z).
pyarrow reads the variable as a truth value, so an empty one keeps its default and stops
pandera from setting it; a value the user set stays. Every module of ours that checks
with pandera imports it from here; the light loader (crosswire.load) never imports it.
"""
import os

os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "")

import pandera  # noqa: E402
import pandera.pandas as pdx  # noqa: E402

__all__ = ["pandera", "pdx"]
