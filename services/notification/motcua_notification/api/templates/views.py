"""A template as the API shows it, and finding one (404 with a machine code otherwise)."""
from motcua_shared.web.errors import NotFound

from ... import templates
from ...templates import Template


def find(key: str) -> Template:
    try:
        return templates.get(key)
    except templates.UnknownTemplate:
        raise NotFound("Không có mẫu tin nhắn này.", code="template_not_found") from None


def summary(template: Template) -> dict:
    return {"key": template.key, "title": template.title, "event_type": template.event_type,
            "urgent": template.urgent, "current_version": template.current.number,
            "has_attachment": template.current.attachment is not None}


def detail(template: Template) -> dict:
    return {**summary(template), "sample": dict(template.sample), "versions": [
        {"version": v.number, "sms": v.sms, "subject": v.subject, "email": v.email,
         "attachment": v.attachment.title if v.attachment else None, "phrases": dict(v.phrases)}
        for v in template.versions]}
