"""GET /api/v1/dossiers/{code}/messages: what was sent for a dossier, and what became of it."""
from collections import defaultdict

from flask.views import MethodView
from sqlalchemy import select

from motcua_shared.web.app import runtime
from motcua_shared.web.auth import require

from ...clock import aware
from ...models import delivery_attempts, messages, notices
from ...providers.identity import DEV_SINK
from ..common import OFFICERS
from . import blp
from .lookup import dossier_in_scope
from .schemas import DossierMessages


@blp.route("/<string:code>/messages")
class Messages(MethodView):
    @require(*OFFICERS)
    @blp.response(200, DossierMessages)
    @blp.doc(security=[{"bearer": []}])
    def get(self, code):
        """Tin nhắn đã gửi cho hồ sơ

        Each message with its channel, template and version, status, attempts and times; the address
        is masked. Officers see the dossiers received at their unit or below it.
        """
        with runtime().sessions() as session:
            dossier_in_scope(session, code)
            rows = session.execute(
                select(messages, notices.c.event_type).join(notices, notices.c.id == messages.c.notice_id)
                .where(messages.c.dossier_code == code).order_by(messages.c.created_at, messages.c.id)).mappings().all()
            log = defaultdict(list)
            for attempt in session.execute(
                    select(delivery_attempts).where(delivery_attempts.c.message_id.in_([r["id"] for r in rows]))
                    .order_by(delivery_attempts.c.id)).mappings():
                log[attempt["message_id"]].append({**attempt, "started_at": aware(attempt["started_at"])})
            told = session.execute(select(notices).where(notices.c.dossier_code == code)
                                   .order_by(notices.c.occurred_at, notices.c.id)).mappings().all()
        return {"dossier_code": code,
                "messages": [_message(row, log[row["id"]]) for row in rows],
                "notices": [{"event_type": n["event_type"], "template": n["template"],
                             "occurred_at": aware(n["occurred_at"]), "status": n["status"],
                             "skipped": n["skipped"] or []} for n in told]}


def _message(row, attempts) -> dict:
    content = None
    if row["body"] is not None:
        content = {"subject": row["subject"], "text": row["body"], "attachment_name": row["attachment_name"]}
    return {
        "id": row["id"], "event_type": row["event_type"], "template": row["template"],
        "template_version": row["template_version"], "channel": row["channel"], "recipient": row["recipient_masked"],
        "status": row["status"], "status_reason": row["status_reason"], "urgent": row["urgent"],
        "attempts": row["attempts"], "provider": row["provider"], "accepted_by": row["accepted_by"],
        "dev_sink": bool(row["accepted_by"]) and row["accepted_by"].startswith(f"{DEV_SINK}:"),
        "segments": row["segments"],
        "created_at": aware(row["created_at"]), "not_before": aware(row["not_before"]),
        "sent_at": aware(row["sent_at"]), "completed_at": aware(row["completed_at"]), "content": content,
        "attempt_log": [{k: a[k] for k in ("attempt", "provider", "outcome", "detail", "started_at", "duration_ms")}
                        for a in attempts],
    }
