"""What the two pages a citizen reaches from a link in an e-mail share (unsubscribe, contact
confirmation): the token query, the documented answers, rendering, and the address shown masked."""
from flask import Response, render_template_string
from marshmallow import fields
from sqlalchemy import select

from motcua_shared.web.fields import StrictSchema

from ..models import messages

PAGE = {"200": {"description": "Trang HTML tiếng Việt.", "content": {"text/html": {}}},
        # A person follows the link from an e-mail: a broken link answers a page, not problem+json.
        "404": {"description": "Liên kết không hợp lệ (trang HTML).", "content": {"text/html": {}}}}


class Token(StrictSchema):
    t = fields.String(required=True, metadata={"description": "The token from the e-mail's link."})


def page(template: str, state: str, masked: str = "", status: int = 200) -> Response:
    return Response(render_template_string(template, state=state, masked=masked), status=status,
                    mimetype="text/html")


def masked_address(session, key: str) -> str | None:
    """The address as messages to it show it (masked), or None when nothing was ever sent to it."""
    found = session.execute(select(messages.c.recipient_masked).where(messages.c.recipient_key == key).limit(1)).first()
    return found.recipient_masked if found else None
