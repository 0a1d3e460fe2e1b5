"""The Langdock Assistant API dialect (`/langdock`)."""

from dialects.langdock.dialect import Langdock

__all__ = ["Langdock"]
