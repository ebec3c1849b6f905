"""motcua routing: carries each dossier to the agencies that must act on it, commune, district, province and back."""
