"""Settings of the reporting service beyond the common ones."""
SETTINGS = ()
