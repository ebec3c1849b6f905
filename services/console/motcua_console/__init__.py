"""motcua console: the officers' web application. It holds accounts and sessions, never business data:
every page reads and acts through the five services' APIs with the signed-in officer's token."""
