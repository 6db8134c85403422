"""Arabic messages for the errors the web UI and the API report, by stable error code.

The core raises errors in English with a `code` and `params` (`QueryError`, `WatchError`);
the API answers ``{"error": <English>, "status", "code", "message_ar"}`` and the web pages
show ``message_ar`` only (docs/api.md). `arabic_message(code, params)` is the one place that
turns a code into Arabic; a code it does not know falls back to the status's message, so a
page never shows English.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from ..arabic.plural import count_noun

Params = Mapping[str, Any]


def _value(params: Params, key: str = "value") -> str:
    return str(params.get(key, ""))[:200]


#: code -> the Arabic message (a string, or a function of the error's params)
MESSAGES_AR: dict[str, str | Callable[[Params], str]] = {
    # search (rasid.search.query, rasid.search.searcher)
    "query_empty": "البحث فارغ: اكتب كلمة واحدة على الأقل.",
    "query_not_text": "البحث يجب أن يكون نصًا.",
    "query_no_words": "لا كلمات يمكن البحث عنها: البحث علامات ترقيم أو رموز فقط.",
    "query_only_excluded": "لا كلمات للبحث عنها: كل الكلمات مستبعدة بعلامة الطرح (-). "
                           "أضف كلمة واحدة على الأقل دون هذه العلامة.",
    "query_too_long": lambda p: (f"البحث طويل جدًا ({count_noun(int(p.get('length', 0)), 'حرف')})؛ "
                                 f"الحد {count_noun(int(p.get('limit', 0)), 'حرف')}."),
    "query_too_many_words": lambda p: (f"في البحث كلمات كثيرة جدًا ({count_noun(int(p.get('words', 0)), 'كلمة')})؛ "
                                       f"الحد {count_noun(int(p.get('limit', 0)), 'كلمة')}."),
    "query_invalid": "تعذّر تنفيذ البحث بهذه الصيغة.",
    "date_invalid": lambda p: f"التاريخ «{_value(p)}» غير صالح: اكتبه بالصيغة سنة-شهر-يوم (2015-11-13).",
    "page_invalid": "رقم الصفحة أو عدد النتائج غير صالح.",
    "entity_id_invalid": "معرّف الكيان يجب أن يكون رقمًا.",
    "filter_invalid": "مرشّح غير صالح: تحقّق من نوع الحدث ورمز الدولة والتاريخين.",
    # watches (rasid.alerts.watches)
    "watch_empty": "المراقبة تحتاج معيارًا واحدًا على الأقل: كيانًا أو كلمات بحث أو مكانًا أو حدثًا.",
    "watch_entity": "اكتب اسم الكيان بحروف، مثل أولاند أو Hollande.",
    "watch_place": "اكتب اسم مكان أو رمز دولة من حرفين (مثل FR).",
    "watch_country_unknown": lambda p: f"لا توجد دولة بالرمز «{_value(p)}» (رمز ISO من حرفين، مثل FR).",
    "watch_place_unknown": lambda p: (f"المكان «{_value(p)}» غير معروف في معجم الأماكن: "
                                      "جرّب الاسم العربي أو رمز الدولة."),
    "watch_event": lambda p: (f"صيغة الحدث «{_value(p)}» غير صالحة: اكتب نوع الحدث ثم المكان، "
                              f"مثل ASSAULT in IQ (الأنواع: {_value(p, 'types')})."),
    "watch_surge": lambda p: (f"صيغة الموجة «{_value(p)}» غير صالحة: اكتب عدد المقالات ثم المدة، "
                              "مثل 5/24h (خمس مقالات في 24 ساعة)."),
    "watch_webhook": "عنوان الإشعار (webhook) يجب أن يبدأ بـ http:// أو https://.",
    "watch_invalid": "تعذّر إنشاء المراقبة بهذه المعايير.",
    "watch_not_found": "لا توجد مراقبة بهذا الرقم.",
    # access (rasid.server.auth)
    "read_closed": "هذا الأرشيف مغلق للقراءة: أدخل رمز الوصول.",
    "write_disabled": "الكتابة معطّلة: لم يُضبط رمز وصول على الخادم (rasid token show).",
    "token_missing": "هذه العملية تحتاج رمز الوصول: أدخله في خانة «رمز الوصول».",
    "token_invalid": "رمز الوصول غير صحيح.",
    # HTTP
    "not_found": "الصفحة أو العنصر المطلوب غير موجود.",
    "method_not_allowed": "هذه العملية غير مسموحة على هذا العنوان.",
    "body_too_large": "الطلب أكبر من الحجم المسموح.",
    "invalid_json": "محتوى الطلب ليس JSON صالحًا.",
    "invalid_request": lambda p: (f"قيمة غير صالحة في: {_value(p, 'fields')}." if p.get("fields")
                                  else "الطلب غير صالح."),
    "internal_error": "خطأ داخلي في الخادم (التفاصيل في سجل الخادم).",
}

#: the code of an error that has none, by HTTP status
STATUS_CODES = {400: "invalid_request", 401: "token_missing", 403: "token_invalid",
                404: "not_found", 405: "method_not_allowed", 413: "body_too_large",
                422: "invalid_request", 500: "internal_error"}

_ARABIC = re.compile(r"[\u0600-\u06FF]")


def is_arabic(text: str | None) -> bool:
    return bool(text and _ARABIC.search(text))


def default_code(status: int) -> str:
    return STATUS_CODES.get(status, "invalid_request" if status < 500 else "internal_error")


def arabic_message(code: str | None, params: Params | None = None, status: int = 400) -> str:
    """The Arabic message for `code` (or, unknown, for the `status`)."""
    template = MESSAGES_AR.get(code or "") or MESSAGES_AR[default_code(status)]
    if callable(template):
        try:
            return template(params or {})
        except (TypeError, ValueError):  # parameters missing or of the wrong kind
            return "الطلب غير صالح." if status < 500 else str(MESSAGES_AR["internal_error"])
    return template
