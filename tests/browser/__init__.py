"""Browser tests of the console (a package, so their live system and browser are torn down with the folder)."""
