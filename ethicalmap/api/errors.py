"""One JSON shape for every API error, so a client handles them all the same way.

    {"status": 400, "code": "invalid", "detail": "Some parameters are not valid: term.",
     "errors": {"term": ["Select a valid choice. nope is not one of the available choices."]}}

`errors` names each parameter that was not understood, with the reasons; it is empty for errors
that are not about a parameter.
"""

from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler


class NotModified(exceptions.APIException):
    """Raised to answer a conditional GET whose representation has not changed (304)."""

    status_code = 304
    default_detail = "Not modified."
    default_code = "not_modified"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = "The precondition in the request headers did not hold."
    default_code = "precondition_failed"


class ErrorSerializer(serializers.Serializer):
    """An API error."""

    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A short machine-readable code, such as `invalid`.")
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For each parameter that was not understood, the reasons.",
    )


def _flatten(detail):
    """Error details as {name: [message, ...]}."""
    if isinstance(detail, dict):
        return {
            str(name): [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            for name, messages in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]} if detail else {}
    return {}


def error_body(status, code, detail, errors=None):
    return {"status": status, "code": code, "detail": detail, "errors": errors or {}}


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django logs it and answers 500
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        names = ", ".join(name for name in errors if name != "non_field_errors")
        detail = (
            f"Some parameters are not valid: {names}." if names else "The request is not valid."
        )
        code = "invalid"
    else:
        errors = {}
        detail = str(exc.detail) if isinstance(exc.detail, str) else "The request failed."
        code = getattr(exc.detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = error_body(response.status_code, code, detail, errors)
    return response
