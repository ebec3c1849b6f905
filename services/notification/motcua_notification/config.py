"""Settings of the notification service beyond the common ones."""
SETTINGS = ()
