"""Settings of the routing service beyond the common ones."""
SETTINGS = ()
