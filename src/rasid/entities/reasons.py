"""Why a name was linked to an entity: the reason codes stored with each of its names
(``entity_links``, written by `rasid.entities.resolver` and `rasid.entities.corrections`),
and their wording in English (CLI, API) and Arabic (web UI).

A reason is ``code`` or ``code:detail``; the detail is a name, or an office with its
holder, days and source.
"""
from __future__ import annotations

REASONS: dict[str, tuple[str, str]] = {
    "new": ("first name seen for this entity", "أول اسم عُرف به"),
    "name": ("the same name after normalisation", "الاسم نفسه بعد التوحيد"),
    "alias-table": ("curated alias table", "جدول الأسماء البديلة"),
    "parenthesis": ("short form in parentheses after the full name", "اختصار بين قوسين بعد الاسم الكامل"),
    "same-article": ("named in full in the same article", "ذُكر باسمه الكامل في المقال نفسه"),
    "archive-name": ("spelling variant of a name in the archive", "تهجئة أخرى لاسم في الأرشيف"),
    "archive-surname": ("lone surname: the only fitting entity in the archive", "اسم العائلة وحده: الكيان الوحيد المطابق في الأرشيف"),
    "archive-alias": ("curated alias table", "جدول الأسماء البديلة"),
    "office": ("office held on the article's date (office table)", "المنصب الذي شغله في تاريخ المقال (جدول المناصب)"),
    "office-archive": ("office held on the article's date (learnt from the archive)", "المنصب الذي شغله في تاريخ المقال (من الأرشيف)"),
    "user": ("a user's decision", "قرار مستخدم"),
    "user-merge": ("merged by a user", "دمجه مستخدم"),
    "user-split": ("split off by a user", "فصله مستخدم"),
}


def describe_reason(reason: str | None, lang: str = "en") -> str:
    """The reason in words: ``"named in full in the same article: عادل الجبير"``."""
    if not reason:
        return ""
    code, _, detail = reason.partition(":")
    words = REASONS.get(code)
    label = (words[0] if lang == "en" else words[1]) if words else code
    return f"{label}: {detail}" if detail else label
