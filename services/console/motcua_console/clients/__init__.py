"""One client per service, over one base that adds the officer's token, the correlation id and time-outs
and turns answers into values or typed errors. Views call these, never HTTP directly."""
from .base import (ApiError, Backends, Conflict, Forbidden, Invalid, NotFound, Problem, RateLimited, Raw,
                   Unauthorized, Unavailable)

__all__ = ["ApiError", "Backends", "Conflict", "Forbidden", "Invalid", "NotFound", "Problem", "RateLimited", "Raw",
           "Unauthorized", "Unavailable"]
