"""Settings of the postal service beyond the common ones."""
SETTINGS = ()
