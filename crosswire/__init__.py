"""crosswire: how news outlets report the same events, as a versioned open dataset."""

__version__ = "0.1.0"
