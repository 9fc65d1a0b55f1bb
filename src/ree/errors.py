"""One error tree with stable codes; the API maps it to `{error:{code,message}}` once.

    ReeError                      code            HTTP
    ├── InvalidInput              invalid_input   400
    ├── PayloadTooLarge           too_large       413
    ├── Unauthorized              unauthorized    401
    ├── Forbidden                 forbidden       403
    ├── NotFound                  not_found       404
    ├── Conflict                  conflict        409
    ├── RateLimited               rate_limited    429
    └── Unavailable               unavailable     503

Messages are safe to show users: they never carry stack traces or secrets.
"""

from __future__ import annotations


class ReeError(Exception):
    code = "internal"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(ReeError):
    code = "invalid_input"
    status = 400


class PayloadTooLarge(ReeError):
    code = "too_large"
    status = 413


class Unauthorized(ReeError):
    code = "unauthorized"
    status = 401


class Forbidden(ReeError):
    code = "forbidden"
    status = 403


class NotFound(ReeError):
    code = "not_found"
    status = 404


class Conflict(ReeError):
    code = "conflict"
    status = 409


class RateLimited(ReeError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after_s: float = 1.0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unavailable(ReeError):
    code = "unavailable"
    status = 503
