"""A shipment row as the desk reads it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ... import lifecycle
from ...models import shipment_history
from ...shipments import aware

HISTORY_LABELS = {**lifecycle.LABELS, "announced": "Thông báo lại cho bưu điện",
                  "escalated": "Báo bộ phận một cửa: bưu điện chưa nhận yêu cầu"}


def shipment(row, now: datetime) -> dict:
    deliver_by = aware(row["deliver_by"])
    attention = None
    if row["attention"]:
        attention = {"reason": row["attention"], "label": lifecycle.ATTENTION_LABELS[row["attention"]],
                     "since": aware(row["attention_since"])}
    return {
        "shipment_id": row["id"], "dossier_code": row["dossier_code"], "direction": row["direction"],
        "direction_label": lifecycle.DIRECTION_LABELS[row["direction"]], "status": row["status"],
        "status_label": lifecycle.LABELS[row["status"]], "status_at": aware(row["status_at"]),
        "unit": row["unit"], "unit_path": row["unit_path"],
        "pickup": {"name": row["pickup_name"], "address": row["pickup_address"], "phone": row["pickup_phone"]},
        "delivery": {"name": row["delivery_name"], "address": row["delivery_address"],
                     "phone": row["delivery_phone"]},
        "cod_amount_vnd": row["cod_amount_vnd"], "requested_at": aware(row["requested_at"]), "deliver_by": deliver_by,
        "overdue": row["status"] in lifecycle.OPEN and deliver_by < now,
        "tracking_number": row["tracking_number"], "announcements": row["announcements"],
        "escalated_at": aware(row["escalated_at"]), "attention": attention,
        "created_at": aware(row["created_at"]), "updated_at": aware(row["updated_at"]),
    }


def detail(session: Session, row, now: datetime) -> dict:
    entries = session.execute(select(shipment_history).where(shipment_history.c.shipment_id == row["id"])
                              .order_by(shipment_history.c.id)).mappings()
    return {**shipment(row, now), "history": [{
        "status": e["status"], "label": HISTORY_LABELS[e["status"]], "occurred_at": aware(e["occurred_at"]),
        "recorded_at": aware(e["recorded_at"]), "source": e["source"], "actor": e["actor"],
        "tracking_number": e["tracking_number"], "note": e["note"], "effective": e["effective"]} for e in entries]}
