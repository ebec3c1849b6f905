"""motcua notification: tells the citizen, by SMS and e-mail, what happened to their dossier."""
