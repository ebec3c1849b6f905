"""motcua reporting: exact statistics built from every service's events."""
