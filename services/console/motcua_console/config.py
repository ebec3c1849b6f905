"""Settings of the console beyond the common ones."""
from __future__ import annotations

from motcua_shared.settings import DEFAULT_PORTS, Setting, boolean

BACKENDS = ("intake", "routing", "notification", "postal", "reporting")

SETTINGS = (
    Setting("CONSOLE_SECRET_KEY", "dev-console-secret-change-me-0123456789abcdef",
            "Key that signs the console's CSRF tokens (sessions themselves are random ids held in the "
            "console's database).", secret=True),
    *(Setting(f"CONSOLE_{name.upper()}_URL", f"http://127.0.0.1:{DEFAULT_PORTS[name]}",
              f"Base URL of the {name} API as the console reaches it.") for name in BACKENDS),
    Setting("CONSOLE_SESSION_IDLE_MINUTES", 60.0,
            "A session unused for this many minutes ends; the officer signs in again.", float),
    Setting("CONSOLE_SESSION_MAX_HOURS", 12.0, "A session ends this many hours after sign-in, used or not.", float),
    Setting("CONSOLE_SECURE_COOKIES", False,
            "Mark the session cookie Secure (set it true whenever the console is served over HTTPS).", boolean),
    Setting("CONSOLE_TOKEN_SECONDS", 300, "Lifetime of the service tokens the console mints for an officer.", int),
    Setting("CONSOLE_LOCKOUT_ATTEMPTS", 5, "Failed sign-ins within the lockout window that lock an account.", int),
    Setting("CONSOLE_LOCKOUT_MINUTES", 15.0,
            "Length of the lockout window, and of the lock itself once the attempts are spent.", float),
    Setting("CONSOLE_PROXY_HOPS", 0,
            "Reverse proxies in front of the console (e.g. 1 behind the HTTPS proxy): their X-Forwarded-For, "
            "-Proto and -Host are then trusted, so sign-in redirects use the public https address.", int),
    Setting("CONSOLE_BACKEND_TIMEOUT", 8.0, "Seconds the console waits for a service's answer.", float),
    Setting("CONSOLE_IMPORT_MAX_BYTES", 64 * 1024 * 1024,
            "Largest file of past dossiers an administrator may upload (keep it equal to INTAKE_IMPORT_MAX_BYTES).",
            int),
    Setting("CONSOLE_IMPORT_TIMEOUT", 300.0,
            "Seconds the console waits for intake to check an uploaded file of past dossiers.", float),
    Setting("MOTCUA_ADMIN_PASSWORD", "",
            "Password of the first administrator account `admin`, created by `python -m motcua_console seed` "
            "(`make run` generates and prints one when unset).", secret=True),
    Setting("CONSOLE_JWT_PRIVATE_KEY_FILE", "",
            "PEM file of the RSA key the console signs officers' tokens with when MOTCUA_JWT_ALGORITHM=RS256; "
            "its public half is served at /.well-known/jwks.json for the services' MOTCUA_JWKS_URL."),
    Setting("CONSOLE_OIDC_ISSUER", "",
            "Issuer URL of the province's OpenID Connect provider; empty disables single sign-on."),
    Setting("CONSOLE_OIDC_CLIENT_ID", "", "Client id of the console at the OpenID provider."),
    Setting("CONSOLE_OIDC_CLIENT_SECRET", "", "Client secret of the console at the OpenID provider.", secret=True),
    Setting("CONSOLE_OIDC_SCOPES", "openid profile",
            "Scopes the console asks the provider for; add the province's own scope if roles and unit come with it."),
    Setting("CONSOLE_OIDC_ROLES_CLAIM", "roles", "ID-token or userinfo claim that lists the officer's roles."),
    Setting("CONSOLE_OIDC_UNIT_CLAIM", "unit", "Claim that holds the officer's unit code."),
    Setting("CONSOLE_OIDC_NAME_CLAIM", "name", "Claim that holds the officer's full name."),
)
