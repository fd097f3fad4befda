"""Structured logs: one JSON object per line, with no secrets and no personal data.

Only named, vetted fields are written: the message, level, logger, time, exception
and the ``http`` / ``admin`` dictionaries the portal attaches itself. Django's own
``request`` attribute (headers, cookies, the client's address) is never serialised;
request paths are logged without their query string.
"""

from __future__ import annotations

import datetime
import json
import logging

from django.db.models.signals import post_save

# Loaded by LOGGING before the apps are ready: models are imported in the functions.
SAFE_FIELDS = ("http", "admin", "status_code")
ADMIN_ACTIONS = {1: "add", 2: "change", 3: "delete"}  # LogEntry's ADDITION, CHANGE, DELETION

admin_logger = logging.getLogger("association.admin")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in SAFE_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class WithoutTraceback(logging.Filter):
    """For a refusal that is the client's doing (a Host not served here): one line, no traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True


def log_admin_action(sender, instance, created: bool, **kwargs) -> None:
    """Every admin add/change/delete, by user id (no name or e-mail) and object id."""
    if not created:
        return
    admin_logger.info(
        "admin action",
        extra={
            "admin": {
                "action": ADMIN_ACTIONS.get(instance.action_flag, str(instance.action_flag)),
                "model": instance.content_type.model if instance.content_type_id else None,
                "app": instance.content_type.app_label if instance.content_type_id else None,
                "object_id": str(instance.object_id),
                "user_id": instance.user_id,
            }
        },
    )


def connect_signals() -> None:
    from django.contrib.admin.models import LogEntry

    post_save.connect(log_admin_action, sender=LogEntry, dispatch_uid="association-log-admin-action")
