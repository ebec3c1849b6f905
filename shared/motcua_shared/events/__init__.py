"""Events: the CloudEvents envelope, the type registry and the catalogue of every event type."""
from .envelope import CONTENT_TYPE, Event, InvalidEvent, isoformat, new_event, parse, utcnow

__all__ = ["CONTENT_TYPE", "Event", "InvalidEvent", "isoformat", "new_event", "parse", "utcnow"]
