"""Who the officer is: accounts and passwords, sessions, CSRF tokens, the service tokens the console
mints, and single sign-on through the province's OpenID Connect provider."""
