"""motcua postal: shipments of dossiers and results carried by the public postal service."""
